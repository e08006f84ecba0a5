"""The collection tree (folders, requests, messages, result badges) and the replay results table."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from explorer.core.model import Collection, RequestSpec
from explorer.ui.widgets.collection_tree import CollectionTree
from explorer.ui.widgets.request_tree import RequestTree
from explorer.ui.widgets.run_results import RunResults

STYLES = Path(__file__).resolve().parents[2] / "explorer" / "ui" / "styles" / "widgets.tcss"


def collection() -> Collection:
    return Collection(
        name="NewStore",
        requests=[
            RequestSpec(name="List stores", method="GET", url="{{api_url}}/v0/stores", folder="Stores"),
            RequestSpec(name="Create order", method="POST", url="{{api_url}}/v0/orders", folder="Orders"),
            RequestSpec(name="Get store", method="GET", url="{{api_url}}/v0/stores/s1", folder="Stores"),
            RequestSpec(name="Health", method="HEAD", url="{{api_url}}/health"),
        ],
    )


class TreeApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self, value: Collection | None) -> None:
        super().__init__()
        self.value = value
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield CollectionTree(self.value)

    @on(CollectionTree.RequestSelected)
    @on(CollectionTree.RunRequested)
    @on(CollectionTree.RenameRequested)
    @on(CollectionTree.DuplicateRequested)
    @on(CollectionTree.DeleteRequested)
    @on(CollectionTree.NewRequested)
    def record(self, message: Message) -> None:
        self.messages.append(message)

    @property
    def request_tree(self) -> RequestTree:
        return self.query_one(RequestTree)

    def labels(self) -> list[str]:
        """Every visible line of the tree, as plain text."""
        tree = self.request_tree
        lines = []
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            assert node is not None
            lines.append(tree.render_label(node, tree.rich_style, tree.rich_style).plain.strip())
        return lines

    async def go_to(self, label_start: str) -> None:
        for line, text in enumerate(self.labels()):
            if text.startswith(label_start) or text.endswith(label_start):
                self.request_tree.move_cursor_to_line(line)
                self.request_tree.focus()
                return
        raise AssertionError(f"no line {label_start!r} in {self.labels()}")


async def test_empty_state_without_a_collection() -> None:
    app = TreeApp(None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        empty = app.query_one("#collection-empty", Static)
        assert empty.display
        assert "--collection FILE" in str(empty.visual)
        # The tree is built when the first collection arrives.
        assert not app.query(RequestTree)
        await pilot.press("n")
        await pilot.pause()
        assert any(isinstance(m, CollectionTree.NewRequested) for m in app.messages)


async def test_folders_are_branches_and_requests_are_leaves() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.labels() == [
            "▼ NewStore",
            "▼ Stores",
            "GET     List stores",
            "GET     Get store",
            "▼ Orders",
            "POST    Create order",
            "HEAD    Health",
        ]


async def test_enter_on_a_request_posts_its_index() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.go_to("GET     Get store")
        await pilot.press("enter")
        await pilot.pause()
        selected = [m for m in app.messages if isinstance(m, CollectionTree.RequestSelected)]
        assert [(m.index, m.spec.name) for m in selected] == [(2, "Get store")]


async def test_enter_on_a_folder_folds_it() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.go_to("▼ Stores")
        await pilot.press("enter")
        await pilot.pause()
        assert "▶ Stores" in app.labels()
        assert not any(isinstance(m, CollectionTree.RequestSelected) for m in app.messages)


async def test_shift_r_runs_the_folder_or_the_whole_collection() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.go_to("▼ Orders")
        await pilot.press("R")
        await app.go_to("GET     List stores")
        await pilot.press("R")
        await app.go_to("▼ NewStore")
        await pilot.press("R")
        await app.go_to("HEAD    Health")
        await pilot.press("R")
        await pilot.pause()
        runs = [m.folder for m in app.messages if isinstance(m, CollectionTree.RunRequested)]
        assert runs == ["Orders", "Stores", None, None]


async def test_rename_duplicate_delete_and_new() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.go_to("POST    Create order")
        await pilot.press("r", "d", "delete", "n")
        # On a folder there is nothing to rename, duplicate or delete.
        await app.go_to("▼ Orders")
        await pilot.press("r", "d", "delete")
        await pilot.pause()
        assert [type(m).__name__ for m in app.messages] == [
            "RenameRequested",
            "DuplicateRequested",
            "DeleteRequested",
            "NewRequested",
        ]
        assert all(getattr(m, "index", 1) == 1 for m in app.messages)


async def test_result_badges() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.query_one(CollectionTree)
        tree.mark_running(0)
        tree.mark_result(2, 404, False, 0.3)
        tree.mark_result(3, None, False, 0.0)
        await pilot.pause()
        labels = app.labels()
        assert "…     GET     List stores" in labels
        assert "✗ 404 GET     Get store" in labels
        assert "✗ err HEAD    Health" in labels
        tree.mark_result(0, 200, True, 0.045)
        await pilot.pause()
        assert "✓ 200 GET     List stores" in app.labels()
        tree.clear_results()
        await pilot.pause()
        assert "GET     List stores" in app.labels()


async def test_set_collection_keeps_folds_cursor_and_badges_of_unchanged_requests() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        tree = app.query_one(CollectionTree)
        await app.go_to("▼ Orders")
        await pilot.press("space")
        tree.mark_result(0, 200, True, 0.01)
        tree.mark_result(3, 500, False, 0.01)
        await app.go_to("GET     Get store")
        changed = collection()
        changed.requests[3].name = "Health check"
        tree.set_collection(changed)
        await pilot.pause()
        labels = app.labels()
        assert "▶ Orders" in labels
        assert "✓ 200 GET     List stores" in labels
        assert "HEAD    Health check" in labels
        cursor = app.request_tree.cursor_node
        assert cursor is not None and cursor.data is not None and cursor.data.index == 2


async def test_set_collection_before_mount_and_back_to_empty() -> None:
    widget = CollectionTree()
    widget.set_collection(collection())

    class EarlyApp(App[None]):
        CSS_PATH = STYLES

        def compose(self) -> ComposeResult:
            yield widget

    async with EarlyApp().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert widget.query_one(RequestTree).display
        assert widget.query_one(RequestTree).last_line == 6
        widget.set_collection(None)
        await pilot.pause()
        assert widget.query_one("#collection-empty", Static).display
        assert not widget.query_one(RequestTree).display


async def test_select_index_moves_the_cursor_into_a_folded_folder() -> None:
    app = TreeApp(collection())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.go_to("▼ Orders")
        await pilot.press("space")
        await pilot.pause()
        app.query_one(CollectionTree).select_index(1)
        await pilot.pause()
        cursor = app.request_tree.cursor_node
        assert cursor is not None and cursor.data is not None and cursor.data.index == 1
        assert not app.messages


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class ResultsApp(App[None]):
    CSS_PATH = STYLES

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def compose(self) -> ComposeResult:
        yield RunResults(clock=self.clock)


async def test_run_results_rows_and_summary() -> None:
    clock = Clock()
    app = ResultsApp(clock)
    async with app.run_test(size=(120, 40)) as pilot:
        results = app.query_one(RunResults)
        results.start(["List stores", "Create order [v2]"])
        await pilot.pause()
        summary = app.query_one("#run-summary", Static)
        assert str(summary.visual) == "Running 0 of 2…"
        results.update_result(0, 200, 0.045, True, "")
        results.update_result(1, 404, 0.2, False, "expected 201")
        clock.now += 1.3
        results.finish(fetches=1)
        await pilot.pause()
        table = app.query_one("#run-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["List stores", "200", "45 ms", "✓"],
            ["Create order [v2]", "404", "200 ms", "✗ expected 201"],
        ]
        assert str(summary.visual) == "1 of 2 met expectations · 1 token fetch · 1.30 s"
        assert summary.has_class("-failed")
