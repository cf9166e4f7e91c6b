namespace MseLab.Cli;

/// <summary>A cluster-mode change refused for want of a valid token of the right role (or of the sweep's ownership); the message names the fix.</summary>
internal sealed class AccessDeniedException(string message) : Exception(message);
