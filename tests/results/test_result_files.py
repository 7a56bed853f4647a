"""Result files: written atomically to regular files only (symlinks to regular files followed, the
link kept), with the mode a new file gets from the umask, and loaded only from regular files; JSON
numbers beyond the float range are refused by name."""
import json
import os
import stat

import pytest
import torch

import interplay as ip


@pytest.fixture
def result():
    return ip.shapley_values(ip.TableGame(torch.arange(8, dtype=torch.float64)))


def test_a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_mode(tmp_path, result):
    old = os.umask(0o022)
    try:
        path = tmp_path / "r.json"
        result.save(path)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
        os.chmod(path, 0o600)
        result.save(path)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    finally:
        os.umask(old)
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary file left


def test_a_symlink_to_a_file_is_followed_and_kept(tmp_path, result):
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    target.write_text("{}")
    os.symlink(target, link)
    result.save(link)
    assert os.path.islink(link) and os.readlink(link) == str(target)
    assert torch.equal(ip.Result.load(target).values, result.values)


def test_non_regular_targets_are_refused(tmp_path, result):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="it is not a regular file"):
        result.save(fifo)
    with pytest.raises(ValueError, match="it is not a regular file"):
        ip.Result.load(fifo)  # would block on open
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    with pytest.raises(IsADirectoryError, match="it is a directory"):
        result.save(tmp_path)
    dangling = tmp_path / "dangling.json"
    os.symlink(tmp_path / "nowhere.json", dangling)
    with pytest.raises(FileNotFoundError, match="it is a symlink to nothing"):
        result.save(dangling)
    if os.path.exists("/dev/null"):
        with pytest.raises(ValueError, match="it is not a regular file"):
            result.save("/dev/null")
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_numbers_beyond_the_float_range_are_refused_by_name(tmp_path, result):
    data = result.to_dict()
    data["values"][0] = 10 ** 400
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ValueError, match=r"values holds a number out of the float range \(1000.*401 digits\)"):
        ip.Result.load(path)
