using Microsoft.Extensions.Options;
using Spectre.Console.Cli;

namespace MseLab.Worker;

/// <summary>A worker that cannot start says why in one line and exits 2; an unexpected failure (a bug) shows its stack and exits 70.</summary>
public static class WorkerErrors
{
    public static int Handle(Exception exception, ITypeResolver? resolver)
    {
        var error = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        Console.Error.WriteLine($"mselab-worker: {error.Message}");
        // ObjectDisposedException is an InvalidOperationException, but never a start-up problem the user can fix: a bug.
        if (error is CommandAppException or FormatException or FileNotFoundException or InvalidOperationException and not ObjectDisposedException or OptionsValidationException
            or Npgsql.NpgsqlException or System.Net.Sockets.SocketException or InvalidDataException or IOException)
        {
            return 2;
        }

        Console.Error.WriteLine(error);
        return 70;
    }
}
