import click


@click.group("group_rental")
def group_rental() -> None:
    """群租认定与整改 (group rental)."""
