"""The clerk's and the auditor's terminal: a thin typer layer that parses, calls the service, renders."""
