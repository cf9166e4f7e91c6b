namespace MseLab.Cli;

/// <summary>The cluster of a profile (its workers, store or broker) cannot be used as asked; the message says what to do.</summary>
internal sealed class ClusterUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
