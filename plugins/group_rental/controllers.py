"""HTTP for the group_rental plugin (placeholder, filled below)."""

from litestar import Controller


class GroupRentalController(Controller):
    pass
