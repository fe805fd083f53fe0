"""PneumoniaMNIST benchmark: cxrzoo models trained here, judged on the test split by cxreval.

Every row trains one zoo architecture (or a few seeds of it) on the 4,708 training images of
PneumoniaMNIST (MedMNIST v2, 28x28), upsampled to the row's input size, with a recipe for
this data. Everything is chosen on the validation split only: the epoch (early stopping on
the validation AUC, best weights restored), the decision threshold (Youden's J on the
validation ROC curve -- the test prevalence, 62.5 %, differs from train/val's 74.2 %) and
every setting of the rows. The test split is predicted once, at the end, and handed to
cxreval: AUC with its DeLong 95 % CI, accuracy, sensitivity, specificity and F1 at the
validation threshold. Each row's result (settings, timings, scores) is saved as JSON in
``benchmarks/results/pneumoniamnist/``; the docs page
``docs/user_guide/benchmark_pneumoniamnist.rst`` and its ROC figure are rewritten from all
saved rows after every run.

The package, one job per module:

``rows``
    The rows as data (architecture, input, recipe, seeds, TTA), the validation-only
    runs, the targets and the candidates fixed in advance.
``run``
    The run driver: :func:`cxrzoo.train_seeds` trains a row's seeds,
    :func:`cxrzoo.predict` gives their probabilities, ``protocol`` scores them.
``protocol``
    The evaluation protocol on saved scores (Youden's J on validation, the test statistics
    at that threshold).
``ensembles``
    Averages of saved rows (``--combine``, ``--planned``); nothing is trained.
``similarity``
    How near the validation and test images lie to the training images.
``store``
    Where every file lives; reading and (atomically) saving the results.
``page``
    The docs page, ``page_template.rst`` filled from the results, and its ROC figure.
``cli``
    The command line.

Usage (from the project root)::

    PYTHONPATH=src python -m benchmarks.pneumoniamnist --list
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --model szanet_x3   # one row
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --all               # every row
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --model szanet --rerun   # tolerance
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --explore   # validation-only runs
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --combine   # ensemble of saved rows
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --planned   # the fixed candidate
    PYTHONPATH=src python -m benchmarks.pneumoniamnist --report    # docs only

``--planned`` scores :data:`~benchmarks.pneumoniamnist.rows.PLANNED`, the ensemble fixed in
advance as the answer to the target (see there), from the saved rows it names.
``--explore`` trains the runs that decided the settings (each changes one thing of a row)
and scores them on the validation split only; they are saved in ``exploration/`` and shown
in a table of their own. ``--rerun`` trains a row again and compares it with its saved
result instead of overwriting it; the differences are saved in ``reruns/ROW.json`` and the
docs state them as the rerun tolerance. Without the data file (``--data``, default
``../shared/data/pneumoniamnist.npz`` beside the project) the script says so and exits with
status 0; ``--report`` then uses the saved split similarity.
"""
