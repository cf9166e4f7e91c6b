using System.ComponentModel;
using MseLab.Datasets.Stored;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.Models.Runtime;
using MseLab.Training.Trials;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary><c>mselab train</c>: one MSE-Adapter trial with live progress; Ctrl-C checkpoints, rerunning resumes.</summary>
internal sealed class TrainCommand : Command<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--backbone <DIR>")]
        [Description("Hugging Face model directory of a LLaMA, Qwen-1 or ChatGLM3 model (config.json, weights, tokenizer files), or a preset made in models/ on first use: \"tiny\" (LLaMA), \"tiny-qwen\", \"tiny-chatglm3\".")]
        public string Backbone { get; init; } = "";

        [CommandOption("--dataset <DATASET>")]
        [Description("A paper dataset's files under --data-root: mosei, simsv2, meld, cherma (also mosi, sims), optionally pinned as NAME@SHA256; or generated data: synthetic:NAME, optionally ?train=N&valid=N&test=N&seed=N.")]
        public string Dataset { get; init; } = "";

        [CommandOption("--data-root <DIR>")]
        [Description("Folder with the paper datasets in the official layout (default: MSELAB_DATA_ROOT). The dataset is pinned to its files' content hash, which the trial's identity (and result.json) records.")]
        public string? DataRoot { get; init; }

        [CommandOption("--seed <N>")]
        [Description("Seed of every random choice (adapter init, batch order). Default 1111.")]
        [DefaultValue(1111)]
        public int Seed { get; init; } = 1111;

        [CommandOption("--out <DIR>")]
        [Description("Output folder: checkpoints and result.json. Rerunning with the same folder resumes.")]
        public string Out { get; init; } = "";

        [CommandOption("--device <DEVICE>")]
        [Description("cpu (default), cuda or cuda:N.")]
        [DefaultValue("cpu")]
        public string Device { get; init; } = "cpu";

        [CommandOption("--threads <N>")]
        [Description("CPU intra-op threads (default 1: fastest for small models on small machines).")]
        [DefaultValue(1)]
        public int Threads { get; init; } = 1;

        [CommandOption("--batch-size <N>")]
        [Description("Override the paper's batch size for the dataset.")]
        public int? BatchSize { get; init; }

        [CommandOption("--lr <LR>")]
        [Description("Override the paper's learning rate.")]
        public double? LearningRate { get; init; }

        [CommandOption("--warm-up-epochs <N>")]
        [Description("Cosine horizon in epochs (10 % warm-up); default per paper.")]
        public int? WarmUpEpochs { get; init; }

        [CommandOption("--early-stop <N>")]
        [Description("Patience in epochs; default 10 (regression) or 8 (classification).")]
        public int? EarlyStop { get; init; }

        [CommandOption("--max-epochs <N>")]
        [Description("Safety bound on epochs (off by default: the paper trains until early stopping).")]
        public int? MaxEpochs { get; init; }

        [CommandOption("--pseudo-tokens <N>")]
        [Description("Number of pseudo tokens P (paper: 4).")]
        public int? PseudoTokens { get; init; }

        [CommandOption("--precision <PRECISION>")]
        [Description("fp32 (default: the checkpoint's weights, float32 compute) or paper (the official bf16 -> fp16 weight rounding; fp16 backbone with a loss scaler on CUDA).")]
        [DefaultValue("fp32")]
        public string Precision { get; init; } = "fp32";

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Backbone) ? ValidationResult.Error("--backbone DIR is required (make one with: mselab backbone create-tiny DIR).")
            : string.IsNullOrWhiteSpace(Dataset) ? ValidationResult.Error("--dataset is required, e.g. --dataset synthetic:mosei.")
            : !DatasetRef.TryParse(Dataset, out _, out var datasetError) ? ValidationResult.Error($"--dataset: {datasetError}")
            : string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out DIR is required (checkpoints and result.json go there).")
            : Threads < 1 ? ValidationResult.Error("--threads must be at least 1.")
            : !TrialPrecisionNames.TryParse(Precision, out _) ? ValidationResult.Error($"--precision '{Precision}' is not a precision. Use fp32 or paper.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreads(settings.Threads);
        // The data first: a missing root or file stops here, before a preset backbone is made.
        var root = DataRoot.Resolve(settings.DataRoot);
        var data = new LocalDatasets(root?.Path, new CachedDatasetStore());
        // Pinned before the trial is resolved: its folder's checkpoint and result belong to this copy of the data only.
        var dataset = SweepDatasets.Pin(DatasetRef.Parse(settings.Dataset), root, data.Store);
        if (dataset is StoredDatasetRef stored && root is null)
        {
            throw MissingDataRootException.For([stored.Label], sweepFile: null);   // pinned on the command line: still read here
        }

        var backbone = BackboneRef.Parse(settings.Backbone);
        if (backbone is PresetBackbone preset)
        {
            TinyBackboneConsole.Locate(preset);   // made now, with a progress bar, if this is its first use
        }

        var config = new TrialConfig
        {
            Backbone = backbone,
            Dataset = dataset,
            Seed = settings.Seed,
            Device = settings.Device,
            BatchSize = settings.BatchSize,
            LearningRate = settings.LearningRate,
            WarmUpEpochs = settings.WarmUpEpochs,
            EarlyStop = settings.EarlyStop,
            MaxEpochs = settings.MaxEpochs,
            PseudoTokens = settings.PseudoTokens,
            Precision = TrialPrecisionNames.TryParse(settings.Precision, out var precision) ? precision : TrialPrecision.Fp32,
        };

        using var interrupt = new InterruptSignal(cancellationToken);
        try
        {
            var result = TrialConsole.Run(config, settings.Out, data, interrupt.Token);
            TrialConsole.WriteSummary(result, Path.Combine(settings.Out, TrialRunner.ResultFile));
            return 0;
        }
        catch (OperationCanceledException) when (interrupt.Token.IsCancellationRequested)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]Interrupted.[/] Checkpoint saved in {Path.Combine(settings.Out, "checkpoint")}; run the same command again to resume.");
            return 130;
        }
    }
}
