"""KPIs, the strategy scorecard, benchmarks across organisations and exports such as the annual
complaint report; read-only over the other modules' selectors."""
