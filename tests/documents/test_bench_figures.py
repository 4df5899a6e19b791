"""`make bench`'s documents figures: each document's own memory, measured in its own process."""

from bench import documents


def test_each_figure_reports_its_own_peak_memory_not_the_parent_processes():
    # given a parent that already holds 400 MB, as `make bench` does after its other sections
    ballast = b"\x01" * (400 * 2**20)
    # when the documents figures are measured for a small shop
    figures = documents.run(orders=3)
    # then every figure has a peak of its own: above nothing, far below the parent's
    measured = {name: f for name, f in figures.items() if isinstance(f, dict) and "peak_mb" in f}
    assert len(measured) == 6
    for name, figure in measured.items():
        assert figure["peak_mb"] > 0, name
        assert figure["peak_mb"] <= figure["process_peak_mb"] < 350, name
    assert len(ballast) == 400 * 2**20  # held until the figures were taken
