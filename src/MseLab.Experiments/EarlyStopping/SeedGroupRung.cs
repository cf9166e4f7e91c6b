namespace MseLab.Experiments.EarlyStopping;

/// <summary>A seed group that reached a rung with every one of its live seeds: its mean there, and where it stands.</summary>
/// <param name="Group">The seed group (the configuration without its seed).</param>
/// <param name="Mean">The mean over its seeds of the rule's metric at the rung.</param>
/// <param name="BestMean">The best of its seed means over the epochs up to the rung (what the median rule compares).</param>
/// <param name="Paused">True when all its seeds stopped at the rung (Pruned there): a candidate for promotion. False once it went on.</param>
public sealed record SeedGroupRung(string Group, double Mean, double BestMean, bool Paused);
