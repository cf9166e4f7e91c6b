using MseLab.Cli;
using Spectre.Console;
using Spectre.Console.Cli;

if (Console.IsOutputRedirected)
{
    // Logs and pipes have no width: do not wrap tables at 80 columns.
    AnsiConsole.Profile.Width = 240;
}

var app = new CommandApp();
app.Configure(CommandTree.Configure);
return await app.RunAsync(args);
