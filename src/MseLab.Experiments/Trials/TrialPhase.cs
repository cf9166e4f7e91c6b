namespace MseLab.Experiments.Trials;

/// <summary>What a running trial is doing: the engine reports it, the live view and telemetry show it.</summary>
public enum TrialPhase
{
    Loading,
    Training,
    Validating,
    Testing,
    Finished,
}
