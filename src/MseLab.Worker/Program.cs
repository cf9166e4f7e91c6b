using MseLab.Worker;
using Spectre.Console.Cli;

var app = new CommandApp<WorkerCommand>();
app.Configure(config =>
{
    config.SetApplicationName("mselab-worker");
    config.SetExceptionHandler(WorkerErrors.Handle);
    config.AddExample("--profile", "lab.json", "--host", "gpu-box-1", "--devices", "cuda:0=80,cuda:1=80", "--advertise", "10.0.0.11");
});
return await app.RunAsync(args);
