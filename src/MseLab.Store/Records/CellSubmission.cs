namespace MseLab.Store.Records;

/// <summary>One expanded sweep cell as submitted: identity, the configuration to run, and labels for leaderboards.</summary>
/// <param name="Key">The cell's identity: the hash of its resolved configuration.</param>
/// <param name="SeedGroup">The identity without the seed, shared by the seeds of one configuration.</param>
/// <param name="Backbone">The backbone as the sweep names it (preset name or folder).</param>
/// <param name="Dataset">The dataset's canonical text.</param>
/// <param name="Seed">The trial seed.</param>
/// <param name="LearningRate">The resolved learning rate (a leaderboard column).</param>
/// <param name="MaxEpochs">The resolved bound on epochs, if any (the live view's ETA).</param>
/// <param name="ResolvedConfig">The resolved configuration's canonical JSON (what the key hashes).</param>
/// <param name="RunConfig">The trial configuration a worker runs, JSON.</param>
public sealed record CellSubmission(
    string Key,
    string SeedGroup,
    string Backbone,
    string Dataset,
    int Seed,
    double LearningRate,
    int? MaxEpochs,
    string ResolvedConfig,
    string RunConfig);
