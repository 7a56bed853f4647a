"""Games v(S): a reward for every coalition S of players.

A coalition is a row of a bool tensor ``[B, n]`` (True = the player attends) or, on the
exact path, a bitmask where bit k is player k. The exact methods read the whole table
of 2^n values, ``table[mask] = v(mask)``; sampling methods call the game on batches.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import torch

from .._internal import checks as _checks
from .._internal.progress import progress_bar
from ..engine.packing import unpack


MAX_MASK_PLAYERS = 62  # a coalition as one int64 bitmask (bit k = player k)


def _mask_players(n, what: str = "n") -> int:
    n = _checks.integer(n, what)
    if not 0 <= n <= MAX_MASK_PLAYERS:
        raise ValueError(f"{what} must be in 0..{MAX_MASK_PLAYERS} for int64 bitmasks, got {n} "
                         "(use interplay.engine.pack for larger games)")
    return n


def masks_to_coalitions(masks: torch.Tensor, n: int) -> torch.Tensor:
    """Bitmasks ``[B]`` (integers in [0, 2^n), n <= 62) to a bool coalition tensor ``[B, n]``."""
    n = _mask_players(n)
    masks = torch.as_tensor(masks)
    _checks.dense_data(masks, "masks")
    if masks.dim() != 1:
        raise ValueError(f"masks must be a 1-D tensor [B] of bitmasks, got shape {list(masks.shape)}")
    if masks.is_floating_point() or masks.is_complex() or masks.dtype == torch.bool:
        raise TypeError(f"masks must hold integer bitmasks, got dtype {masks.dtype}")
    masks = masks.to(torch.int64)
    if masks.numel() and bool(((masks < 0) | (masks >= (1 << n))).any()):
        bad = int(masks[(masks < 0) | (masks >= (1 << n))][0])
        raise ValueError(f"mask {bad} is not a coalition of {n} players (bitmasks lie in [0, 2^{n}))")
    bits = torch.arange(n, device=masks.device, dtype=torch.int64)
    return ((masks.unsqueeze(1) >> bits) & 1).bool()


def coalitions_to_masks(coalitions: torch.Tensor) -> torch.Tensor:
    """A coalition tensor ``[B, n]`` (bool or 0/1 integers, n <= 62) to bitmasks ``[B]`` (int64)."""
    coalitions = torch.as_tensor(coalitions)
    _checks.dense_data(coalitions, "coalitions")
    if coalitions.dim() != 2:
        raise ValueError(f"coalitions must be a 2-D tensor [B, n], got shape {list(coalitions.shape)}")
    n = _mask_players(coalitions.shape[1], "the number of players (columns of coalitions)")
    if coalitions.dtype != torch.bool:
        if coalitions.is_floating_point() or coalitions.is_complex() \
                or bool(((coalitions != 0) & (coalitions != 1)).any()):
            raise ValueError("coalitions must be a bool tensor (or 0/1 integers)")
    weights = torch.ones(n, dtype=torch.int64, device=coalitions.device) << torch.arange(n, device=coalitions.device)
    return (coalitions.to(torch.int64) * weights).sum(1)


def check_game(value, what: str = "game") -> "Game":
    """``value`` if it is a :class:`Game` (the first argument of every public function), else a TypeError."""
    if not isinstance(value, Game):
        hint = (" (wrap a table of 2^n values in interplay.TableGame, a function of coalitions in "
                "interplay.Game, a model in interplay.ModelGame)")
        raise TypeError(f"{what} must be an interplay.Game, got {type(value).__name__}{hint}")
    return value


_INTEGER_DTYPES = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)


def _real_rewards(rewards) -> torch.Tensor:
    """The rewards as a real tensor: complex or non-numeric rewards are refused (never truncated)."""
    try:
        rewards = torch.as_tensor(rewards)
    except (TypeError, ValueError, RuntimeError) as e:
        raise TypeError(f"the game must return a tensor of rewards, got {type(rewards).__name__}: {e}") from None
    if rewards.is_complex():
        raise TypeError(f"the game returned complex rewards ({rewards.dtype}); rewards must be real numbers")
    if rewards.dtype == torch.bool:
        raise TypeError("the game returned bool rewards; rewards must be real numbers (e.g. .double())")
    return rewards


class Game:
    """A game given by a function of coalitions.

    Args:
        fn: maps a bool tensor ``[B, n_players]`` of coalitions to a tensor ``[B]`` of rewards.
        n_players: the number of players n.
        batch_size: coalitions per call of ``fn`` (the memory budget of one evaluation).
        progress: show a tqdm bar for long evaluations (None: only when many batches).
        labels: a name per player (e.g. words), carried into results for pictures.
        grid: (rows, cols) when the players are the cells of a grid in row-major order.

    ``game.evaluations`` counts the coalitions evaluated so far.
    """

    def __init__(
        self,
        fn: Callable[[torch.Tensor], torch.Tensor],
        n_players: int,
        *,
        batch_size: int = 4096,
        progress: Optional[bool] = None,
        labels: Optional[Sequence[str]] = None,
        grid: Optional[Sequence[int]] = None,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"fn must be callable, got {type(fn).__name__}")
        n_players = _checks.count(n_players, "n_players")
        batch_size = _checks.integer(batch_size, "batch_size")
        if not 1 <= batch_size < 1 << 62:
            raise ValueError(f"batch_size must be positive (and below 2^62), got {batch_size}")
        if progress is not None and not isinstance(progress, bool):
            raise TypeError(f"progress must be None or a bool, got {progress!r}")
        self.fn = fn
        self.n_players = n_players
        self.batch_size = int(batch_size)
        self.progress = progress
        self.evaluations = 0
        self._table: Optional[torch.Tensor] = None
        self.labels = _checks.labels(labels, n_players)
        self.grid = _checks.grid(grid, n_players)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n_players={self.n_players}, evaluations={self.evaluations})"

    # -- evaluation -----------------------------------------------------------------
    def _evaluate(self, coalitions: torch.Tensor) -> torch.Tensor:
        """Rewards of one batch of coalitions; subclasses override this."""
        return self.fn(coalitions)

    def __call__(self, coalitions: torch.Tensor) -> torch.Tensor:
        """Rewards ``[B]`` (float64) of the coalitions ``[B, n]``, in batches of ``batch_size``."""
        coalitions = torch.as_tensor(coalitions)
        if coalitions.dim() != 2 or coalitions.shape[1] != self.n_players:
            raise ValueError(
                f"coalitions must have shape [B, {self.n_players}], got {list(coalitions.shape)}"
            )
        if coalitions.dtype != torch.bool:
            if coalitions.is_floating_point() or coalitions.is_complex() or ((coalitions != 0) & (coalitions != 1)).any():
                raise ValueError("coalitions must be a bool tensor (or 0/1 integers)")
            coalitions = coalitions.bool()
        total = coalitions.shape[0]
        chunks = range(0, total, self.batch_size)
        show = self.progress if self.progress is not None else len(chunks) > 16
        outputs = []
        for start in progress_bar(chunks, enabled=show, desc="evaluating coalitions", unit="batch"):
            batch = coalitions[start : start + self.batch_size]
            outputs.append(self._checked(self._evaluate(batch), batch))
        self.evaluations += total
        if not outputs:
            return torch.zeros(0, dtype=torch.float64)
        return torch.cat(outputs)

    def _checked(self, rewards: torch.Tensor, batch: torch.Tensor) -> torch.Tensor:
        rewards = _real_rewards(rewards)
        _checks.dense_data(rewards, "the game's rewards")
        if rewards.dim() == 2 and rewards.shape[1] == 1:
            rewards = rewards[:, 0]
        if rewards.dim() != 1 or rewards.shape[0] != batch.shape[0]:
            raise ValueError(
                f"the reward must be one scalar per coalition: expected shape [{batch.shape[0]}], "
                f"got {list(rewards.shape)}"
            )
        rewards = rewards.detach().to(torch.float64)
        finite = torch.isfinite(rewards)
        if not bool(finite.all()):
            bad = int((~finite).nonzero()[0, 0])
            present = batch[bad].nonzero().flatten().tolist()
            raise ValueError(
                f"the game returned a non-finite reward ({rewards[bad].item()}) for the coalition "
                f"with players {present}"
            )
        return rewards

    def values_of_masks(self, masks: torch.Tensor) -> torch.Tensor:
        """Rewards of coalitions given as int64 bitmasks (bit k = player k)."""
        return self(masks_to_coalitions(torch.as_tensor(masks, dtype=torch.int64), self.n_players))

    def has_table(self) -> bool:
        """Whether the 2^n table is at hand (exact methods then evaluate nothing)."""
        return self._table is not None

    def table_rows(self) -> int:
        """Coalitions evaluated per block when the 2^n table is filled (a multiple of batch_size)."""
        return max(self.batch_size, (1 << 16) // self.batch_size * self.batch_size)

    def table_memory(self) -> int:
        """Bytes that filling the table takes besides the table itself: per block, the bitmasks,
        their coalitions and the unpacking (~ 8 + 17 n bytes a row) and the rewards."""
        rows = min(1 << self.n_players, self.table_rows())
        return rows * (16 + 17 * self.n_players)

    def table(self) -> torch.Tensor:
        """All 2^n rewards, ``table[mask] = v(mask)``, float64 on the CPU (evaluated once, cached).

        The coalitions are built and evaluated block by block; the whole need (the table, a
        transform's copy, one block) is checked against the memory budget
        (:func:`interplay.set_max_memory`) before anything is evaluated.
        """
        if self._table is None:
            n = self.n_players
            _checks.exact_size(n, extra=self.table_memory())
            total, step = 1 << n, self.table_rows()
            table = torch.empty(total, dtype=torch.float64)
            show = self.progress if self.progress is not None else total // step > 16
            saved, self.progress = self.progress, False
            try:
                starts = range(0, total, step)
                for start in progress_bar(starts, enabled=bool(show), desc="evaluating the table", unit="block"):
                    masks = torch.arange(start, min(total, start + step), dtype=torch.int64)
                    table[start:start + masks.shape[0]] = self.values_of_masks(masks).cpu()
            finally:
                self.progress = saved
            self._table = table
        return self._table


class TableGame(Game):
    """A game given by its 2^n values, ``values[mask] = v(mask)`` (bit k of mask = player k).

    ``batch_size``, ``progress``, ``labels`` and ``grid`` as for :class:`Game`.
    """

    def __init__(
        self,
        values: torch.Tensor,
        *,
        batch_size: int = 4096,
        progress: Optional[bool] = None,
        labels: Optional[Sequence[str]] = None,
        grid: Optional[Sequence[int]] = None,
    ) -> None:
        values = torch.as_tensor(values).detach()
        _checks.dense_data(values, "the game table")
        if values.is_complex() or values.dtype == torch.bool or not (values.is_floating_point()
                                                                     or values.dtype in _INTEGER_DTYPES):
            raise TypeError(f"a game table must hold real numbers (float or int), got dtype {values.dtype}")
        if values.dim() != 1:
            raise ValueError(f"a game table must be 1-D, got shape {list(values.shape)}")
        size = values.numel()
        if size < 2 or size & (size - 1):
            raise ValueError(f"a game table must have 2^n entries with n >= 1, got {size}")
        n = size.bit_length() - 1
        # before any copy: the float64 CPU copy below is the table itself (and an expanded view of
        # one element would otherwise be materialised whatever its size)
        _checks.exact_size(n, copies=1)
        values = values.to(torch.float64).cpu().contiguous()
        if not bool(torch.isfinite(values).all()):
            bad = int((~torch.isfinite(values)).nonzero()[0, 0])
            raise ValueError(f"the game table has a non-finite value at mask {bad}")
        super().__init__(self._lookup, n, batch_size=batch_size, progress=progress, labels=labels, grid=grid)
        self._table = values

    def evaluate_packed(self, masks: torch.Tensor) -> torch.Tensor:
        """Rewards of packed coalitions ``[B, W]`` (the engine's fast path: a table lookup)."""
        if self.n_players > 62:
            return self(unpack(masks, self.n_players)).cpu()
        self.evaluations += masks.shape[0]
        return self._table[masks[:, 0]]

    def _lookup(self, coalitions: torch.Tensor) -> torch.Tensor:
        return self._table[coalitions_to_masks(coalitions.cpu())]
