namespace MseLab.Cli;

/// <summary>Another <c>mselab sweep run</c> owns the embedded store in this folder.</summary>
internal sealed class EmbeddedStoreBusyException(string message) : Exception(message);
