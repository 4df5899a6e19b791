"""A click on a chart point opens the order the server's own list names for it: the
browser only says which trace and point, and anything else it sends opens nothing."""

from dashboard.state.overview import target


def test_a_point_opens_the_order_the_server_listed_for_it():
    targets = [[None, 100012, 100013], [None]]
    assert target(targets, [{"curveNumber": 0, "pointNumber": 1}]) == 100012
    assert target(targets, [{"curveNumber": 0, "pointNumber": 0}]) is None  # a delivery
    assert target(targets, [{"curveNumber": 5, "pointNumber": 1}]) is None
    assert target(targets, [{"curveNumber": 0, "pointNumber": -1}]) is None
    assert target(targets, [{"curveNumber": "x"}, {"curveNumber": 0, "pointNumber": 2}]) == 100013
    assert target(targets, "not a list") is None
