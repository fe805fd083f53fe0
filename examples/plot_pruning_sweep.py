"""
A pruning sweep: sparsity against accuracy
==========================================

Report 002 pruned SZANet at five sparsities and picked a level by a "score" of sparsity
and accuracy (its Table A1). :func:`cxreval.score_sweep` scores such a sweep with the
accuracy's uncertainty: the test set had 624 images, 390 with pneumonia.
"""

import matplotlib.pyplot as plt

import cxreval

sparsity = [0.3, 0.4, 0.5, 0.7, 0.8]
accuracy = [0.88, 0.86, 0.63, 0.375, 0.375]  # Table A1 of report 002
result = cxreval.score_sweep(sparsity, accuracy, n_cases=624, prevalence=390 / 624)
print(result)
result.plot()
plt.show()
