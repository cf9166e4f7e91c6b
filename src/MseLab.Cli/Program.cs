using MseLab.Cli;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(CommandTree.Configure);
return await app.RunAsync(args);
