using MseLab.Models.Runtime;
using Spectre.Console;
using Spectre.Console.Cli;
using TorchSharp;

namespace MseLab.Cli.Commands;

internal sealed class VersionCommand : Command
{
    public override int Execute(CommandContext context, CancellationToken cancellationToken)
    {
        TorchRuntime.Initialize();
        AnsiConsole.MarkupLineInterpolated($"mselab {typeof(VersionCommand).Assembly.GetName().Version}, libtorch {torch.__version__}, CUDA available: {torch.cuda.is_available()}");
        return 0;
    }
}
