"""HR-zone controllers: the model-based controller and the benchmark baselines."""
