"""Official documents: rendering docxtpl templates with their resolution order (``render``), the GB/T
9704 layout blocks templates are built from (``layout``), one template repeated per person (``batch``)."""
