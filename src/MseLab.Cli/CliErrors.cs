using MseLab.Cluster.Client;
using MseLab.Datasets;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli;

/// <summary>Turns exceptions into one clear message and an exit code, never a stack dump for a user error.</summary>
internal static class CliErrors
{
    /// <summary>Exit code for bad input (a wrong path, a corrupt file, an invalid option).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code for a change refused for want of a valid token or role (sysexits' EX_NOPERM).</summary>
    public const int Denied = 77;

    /// <summary>Exit code for an unexpected failure (a bug).</summary>
    public const int Internal = 70;

    public static int Handle(Exception exception, ITypeResolver? resolver)
    {
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        switch (error)
        {
            case CommandAppException:
                AnsiConsole.Console.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
                return BadInput;
            case SweepValidationException or KeyNotFoundException or Microsoft.Extensions.Options.OptionsValidationException or EmbeddedStoreBusyException
                or ClusterUnavailableException or SweepRejectedException or Hosts.LabHostsException:
                Console.Error.WriteLine($"error: {error.Message}");
                return BadInput;
            case FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotSupportedException
                or ArgumentException or FormatException or UnauthorizedAccessException or DatasetFileException or MissingDataRootException:
                Console.Error.WriteLine($"error: {error.Message}");
                return BadInput;
            case AccessDeniedException:
                Console.Error.WriteLine($"error: {error.Message}");
                return Denied;
            case OperationCanceledException:
                Console.Error.WriteLine("cancelled.");
                return 130;
            default:
                Console.Error.WriteLine($"error: {error.Message}");
                Console.Error.WriteLine(error);
                return Internal;
        }
    }
}
