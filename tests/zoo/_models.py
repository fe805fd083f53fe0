"""Small Keras models shared by the zoo tests (seeded, built in well under a second)."""

import keras


def tiny_cnn(size=32, units=1, seed=0):
    """A small CNN that learns the phantoms in seconds (SZANet needs minutes)."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input((size, size, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Conv2D(8, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(16, 3, activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="sigmoid" if units == 1 else "softmax"),
        ],
        name="tiny_cnn",
    )


def frozen_base_model(size=32):
    """A frozen 4-filter conv base under one sigmoid unit (for two-phase training)."""
    keras.utils.set_random_seed(0)
    base = keras.Sequential(
        [
            keras.Input((size, size, 1)),
            keras.layers.Conv2D(4, 3),
            keras.layers.GlobalAveragePooling2D(),
        ],
        name="base",
    )
    base.trainable = False
    inputs = keras.Input((size, size, 1))
    x = base(keras.layers.Rescaling(1 / 255)(inputs))
    return keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x), name="two_phase")


def prunable_cnn(seed=0):
    """8x8x1 -> conv, batch norm, conv, dense: every kind of prunable weight."""
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(4, 3, name="conv_a"),
            keras.layers.BatchNormalization(name="bn"),
            keras.layers.ReLU(),
            keras.layers.Conv2D(6, 3, name="conv_b"),
            keras.layers.Flatten(),
            keras.layers.Dense(5, activation="relu", name="hidden"),
            keras.layers.Dense(1, activation="sigmoid", name="out"),
        ],
        name="tiny",
    )
