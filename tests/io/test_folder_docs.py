from __future__ import annotations

from pathlib import Path

from unspin.io import read_documents


def test_folder_walk_skips_the_folders_own_documentation(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("what these files are")
    (tmp_path / "LICENSE").write_text("licence")
    (tmp_path / "article.txt").write_text("an article")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "readme.txt").write_text("notes")
    (sub / "story.md").write_text("a story")
    ids = [Path(d.id).name for d in read_documents([tmp_path])]
    assert ids == ["article.txt", "story.md"]


def test_a_readme_named_explicitly_is_read(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("what these files are")
    docs = list(read_documents([tmp_path / "README.md"]))
    assert len(docs) == 1 and docs[0].text == "what these files are"
