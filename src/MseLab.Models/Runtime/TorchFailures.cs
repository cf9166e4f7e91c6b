using System.Runtime.InteropServices;

namespace MseLab.Models.Runtime;

/// <summary>What a libtorch failure means, where TorchSharp gives no type to tell it by.</summary>
public static class TorchFailures
{
    /// <summary>
    /// Whether <paramref name="error"/> (or an inner one) is the device running out of memory. libtorch's
    /// <c>c10::OutOfMemoryError</c> reaches .NET as a plain <see cref="ExternalException"/> whose message says "out of
    /// memory" (TorchSharp maps no exception types), so at this one boundary the message is the only signal there is.
    /// </summary>
    public static bool IsOutOfMemory(Exception error) =>
        error is OutOfMemoryException
        || (error is ExternalException && error.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase))
        || (error.InnerException is { } inner && IsOutOfMemory(inner));
}
