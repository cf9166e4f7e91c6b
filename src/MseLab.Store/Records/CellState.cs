using MseLab.Experiments.Trials;

namespace MseLab.Store.Records;

/// <summary>A cell's status columns, without its configuration or results.</summary>
public sealed record CellState(string Key, TrialStatus Status, int Attempt, string? Device, int Epoch, double? TrainLoss, double? BestValidation);
