namespace MseLab.Store.Records;

/// <summary>A finished trial: best epoch, test metrics, timing and provenance.</summary>
public sealed record TrialOutcome(
    int BestEpoch,
    double BestValidation,
    string StoppedBy,
    IReadOnlyDictionary<string, double> Test,
    double Seconds,
    ProvenanceRecord Provenance);
