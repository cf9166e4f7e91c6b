namespace MseLab.Store.Records;

/// <summary>A cell running at some moment: its key, attempt and the device it runs on.</summary>
public sealed record RunningCell(string Key, int Attempt, string? Device);
