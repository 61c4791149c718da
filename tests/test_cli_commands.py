"""The lazily loaded command table of the CLI names every command of every module, and only those."""
import importlib
import pkgutil

import compiler.commands
from compiler.cli import FAMILIES, main


def test_every_command_module_is_in_the_table_with_its_commands():
    modules = {m.name for m in pkgutil.iter_modules(compiler.commands.__path__)
               if hasattr(importlib.import_module(f"compiler.commands.{m.name}"), "COMMANDS")}
    assert set(FAMILIES) == modules
    for family, names in FAMILIES.items():
        module = importlib.import_module(f"compiler.commands.{family}")
        assert tuple(c.name for c in module.COMMANDS) == names


def test_the_group_lists_and_finds_every_command():
    import click
    ctx = click.Context(main)
    listed = main.list_commands(ctx)
    for names in FAMILIES.values():
        for name in names:
            assert name in listed
            assert main.get_command(ctx, name).name == name
    assert "validate" in listed and main.get_command(ctx, "nope") is None


def test_validate_does_not_import_the_other_commands():
    import subprocess
    import sys
    code = ("import sys; from compiler.cli import main; main(['validate', '--help'], standalone_mode=False); "
            "print(sorted(m for m in sys.modules if m.startswith('compiler.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded = out.strip().splitlines()[-1]
    assert "compiler.commands.assess" not in loaded and "compiler.commands.build" not in loaded
    assert "compiler.commands.common" in loaded
