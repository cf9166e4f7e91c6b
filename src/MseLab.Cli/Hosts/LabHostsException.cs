namespace MseLab.Cli.Hosts;

/// <summary>The lab hosts could not be made, changed or removed; the message names the command and the fix.</summary>
public sealed class LabHostsException(string message) : Exception(message);
