"""What the tests (tests/) and the benchmarks (bench/) both use, so neither imports the other:
builders for products and orders (`factories`), a throwaway PostgreSQL cluster
(`pgcluster`) and starting and stopping a server process (`servers`). Not shipped with the app.
"""
