namespace MseLab.Store;

/// <summary>Who owns a sweep when nobody signed in: the embedded default, and stores written before sweeps had owners.</summary>
public static class SweepOwners
{
    /// <summary>The owner of a sweep submitted without authentication.</summary>
    public const string Local = "local";
}
