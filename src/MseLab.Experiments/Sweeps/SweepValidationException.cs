namespace MseLab.Experiments.Sweeps;

/// <summary>A sweep file with errors: nothing may be submitted. Lists every error, not just the first.</summary>
public sealed class SweepValidationException : Exception
{
    public SweepValidationException(IReadOnlyList<SweepError> errors)
        : base($"{errors.Count} error(s) in the sweep file; nothing was submitted:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}")
    {
        Errors = errors;
    }

    public SweepValidationException()
        : this([])
    {
    }

    public SweepValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    public SweepValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<SweepError> Errors { get; }
}
