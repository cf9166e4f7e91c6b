namespace MseLab.Data.Records;

/// <summary>One expanded sweep cell as submitted: identity, the configuration to run, and labels for leaderboards.</summary>
public sealed record CellSubmission(
    string Key,
    string SeedGroup,
    string Backbone,
    string Dataset,
    int Seed,
    double LearningRate,
    string ResolvedConfig,
    string RunConfig);
