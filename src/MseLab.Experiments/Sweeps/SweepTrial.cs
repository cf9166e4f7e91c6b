using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Sweeps;

/// <summary>
/// One cell of a sweep: its configuration and identity. <see cref="Key"/> hashes the fully resolved configuration,
/// so submitting the same cell twice is recognisably the same trial; <see cref="SeedGroup"/> is the same hash with the
/// seed left out, shared by the seeds of one configuration.
/// </summary>
public sealed record SweepTrial(TrialConfig Config, ResolvedTrial Resolved, string Key, string SeedGroup);
