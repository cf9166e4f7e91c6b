using MseLab.Store.Records;

namespace MseLab.Grains.Tests.Infrastructure;

internal static class TestOutcomes
{
    public static TrialOutcome Outcome { get; } = new(
        3,
        0.875,
        "patience",
        new Dictionary<string, double>(StringComparer.Ordinal) { ["mae"] = 0.25, ["acc2"] = 0.8 },
        12.5,
        new ProvenanceRecord("abc123", false, "test-host", "0.0", "0.0", "cpu", "hash", 10, 100));
}
