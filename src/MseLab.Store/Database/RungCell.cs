using MseLab.Experiments.Trials;

namespace MseLab.Store.Database;

/// <summary>A cell of a sweep as a rung decision sees it: its seed group, status and latest epoch.</summary>
internal sealed record RungCell(string Key, string Group, TrialStatus Status, int Epoch);
