"""The browser front end: `plandoc serve`, a thin web app over the same engine as the CLI."""
