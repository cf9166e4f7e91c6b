using MseLab.Experiments.Trials;

namespace MseLab.Store.Records;

/// <summary>A cell as status and results views show it.</summary>
public sealed record TrialRow(
    string SweepId,
    string Key,
    string SeedGroup,
    string Backbone,
    string Dataset,
    int Seed,
    double LearningRate,
    int? MaxEpochs,
    string ResolvedConfig,
    TrialStatus Status,
    int Attempt,
    string? Device,
    int Epoch,
    double? TrainLoss,
    double? BestValidation,
    string? Error,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    IReadOnlyDictionary<string, double> Test);
