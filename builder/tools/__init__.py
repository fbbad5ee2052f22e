"""One-off maintenance tools that (re)generate knowledge tables; never run during a build."""
