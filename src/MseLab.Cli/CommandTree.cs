using MseLab.Cli.Commands;
using MseLab.Cli.Commands.Admin;
using MseLab.Cli.Commands.Bench;
using MseLab.Cli.Commands.Data;
using MseLab.Cli.Commands.Sweeps;
using Spectre.Console.Cli;

namespace MseLab.Cli;

/// <summary>The whole <c>mselab</c> command tree, in one place.</summary>
internal static class CommandTree
{
    public static void Configure(IConfigurator config)
    {
        config.SetApplicationName("mselab");
        config.SetExceptionHandler(CliErrors.Handle);
        config.AddCommand<VersionCommand>("version").WithDescription("Print MseLab, TorchSharp and libtorch versions.");
        config.AddCommand<TrainCommand>("train")
            .WithDescription("Train and test one MSE-Adapter trial (Ctrl-C checkpoints; rerun to resume).")
            .WithExample("train", "--backbone", "models/tiny-llama", "--dataset", "synthetic:mosei", "--seed", "1111", "--out", "runs/mosei-1111");
        config.AddBranch("data", data =>
        {
            data.SetDescription("The paper's datasets under a data root (official layout): read, check and cache them.");
            data.AddCommand<DataInspectCommand>("inspect")
                .WithDescription("What was read: per split counts, shapes, length sums, label statistics and feature sums (prepares the cache first if needed).")
                .WithExample("data", "inspect", "/data/msa", "--dataset", "mosei")
                .WithExample("data", "inspect", "/data/msa", "--dataset", "meld", "--json");
            data.AddCommand<DataPrepareCommand>("prepare")
                .WithDescription("Convert datasets once into the memory-mapped cache trials share, keyed by the files' content hash (all present under ROOT by default).")
                .WithExample("data", "prepare", "/data/msa")
                .WithExample("data", "prepare", "/data/msa", "--dataset", "mosei", "--dataset", "simsv2", "--cache", "/scratch/mselab-cache");
        });
        config.AddBranch("sweep", sweep =>
        {
            sweep.SetDescription("Sweeps: backbones x datasets x seeds x hyperparameters, on the embedded cluster or a lab cluster (--cluster).");
            sweep.AddCommand<SweepRunCommand>("run")
                .WithDescription("Validate, queue and run a sweep file with a live table; rerun to continue after a stop.")
                .WithExample("sweep", "run", "experiments/quickstart.yaml", "--workers", "2")
                .WithExample("sweep", "run", "experiments/quickstart.yaml", "--cluster", "lab.json");
            sweep.AddCommand<SweepValidateCommand>("validate")
                .WithDescription("Check a sweep file (every error as file:line:column) and count its cells, without storing or running anything.")
                .WithExample("sweep", "validate", "experiments/quickstart.yaml");
            sweep.AddCommand<SweepPlanCommand>("plan")
                .WithDescription("The device memory each cell needs (weights, adapter and AdamW, activations, KV cache) from the backbones' config.json, and which registered devices fit.")
                .WithExample("sweep", "plan", "experiments/paper.yaml")
                .WithExample("sweep", "plan", "experiments/paper.yaml", "--cluster", "lab.json");
            sweep.AddCommand<SweepStatusCommand>("status")
                .WithDescription("Counts per sweep, or one sweep's cells (status, attempt, device, epoch, error).")
                .WithExample("sweep", "status", "quickstart");
            sweep.AddCommand<SweepCancelCommand>("cancel")
                .WithDescription("Cancel a sweep: queued cells are dropped, running ones checkpoint and stop.")
                .WithExample("sweep", "cancel", "quickstart");
        });
        config.AddBranch("worker", worker =>
        {
            worker.SetDescription("Lab cluster workers (processes started with mselab-worker).");
            worker.AddCommand<Commands.Workers.WorkerListCommand>("list")
                .WithDescription("Registered workers: state, last heartbeat, devices with memory, and the trial on each.")
                .WithExample("worker", "list", "--cluster", "lab.json");
            worker.AddCommand<Commands.Workers.WorkerDrainCommand>("drain")
                .WithDescription("Stop a worker gracefully: its running trials checkpoint and go back to the queue, then it exits.")
                .WithExample("worker", "drain", "gpu-box-2", "--cluster", "lab.json");
        });
        config.AddBranch("user", user =>
        {
            user.SetDescription("The lab's users and their roles (read, submit, admin). Admin commands act with the store's credentials (the profile).");
            user.AddCommand<UserAddCommand>("add")
                .WithDescription("Add a user with a role; then `mselab token create NAME` gives them a token.")
                .WithExample("user", "add", "alice", "--role", "submit", "--cluster", "lab.json")
                .WithExample("user", "add", "pat", "--role", "admin", "--cluster", "lab.json");
            user.AddCommand<UserListCommand>("list")
                .WithDescription("Every user with role and creation time.")
                .WithExample("user", "list", "--cluster", "lab.json");
        });
        config.AddBranch("token", token =>
        {
            token.SetDescription("API tokens: mselab_ID_SECRET, shown once, stored as a SHA-256 of the secret.");
            token.AddCommand<TokenCreateCommand>("create")
                .WithDescription("Issue a token to a user and print it (the only time it is shown).")
                .WithExample("token", "create", "alice", "--cluster", "lab.json")
                .WithExample("token", "create", "alice", "--expires", "30d", "--cluster", "lab.json");
            token.AddCommand<TokenListCommand>("list")
                .WithDescription("Tokens with user, creation, expiry and state (active, expired, revoked); never a secret.")
                .WithExample("token", "list", "--cluster", "lab.json");
            token.AddCommand<TokenRevokeCommand>("revoke")
                .WithDescription("Revoke a token by id: the API and the command line refuse it from now on.")
                .WithExample("token", "revoke", "3f9c2a7b10de", "--cluster", "lab.json");
        });
        config.AddCommand<AuditCommand>("audit")
            .WithDescription("Recorded mutations (submit, cancel, drain, users, tokens): who, what, when, from where.")
            .WithExample("audit", "--cluster", "lab.json", "--since", "7d")
            .WithExample("audit", "--cluster", "lab.json", "--user", "alice", "--json");
        config.AddBranch("db", db =>
        {
            db.SetDescription("The results store's schema.");
            db.AddCommand<Commands.Db.DbMigrateCommand>("migrate")
                .WithDescription("Apply pending migrations to the results store (embedded SQLite, or the cluster's Postgres).")
                .WithExample("db", "migrate", "--cluster", "lab.json");
        });
        config.AddCommand<ResultsCommand>("results")
            .WithDescription("Leaderboard from the results store: mean ± std over seeds for every test metric.")
            .WithExample("results", "--sweep", "quickstart")
            .WithExample("results", "--group-by", "backbone,dataset", "--format", "json")
            .WithExample("results", "--where", "\"dataset_name = 'mosei' and family like 'qwen%' and status = succeeded\"", "--group-by", "lr", "--best", "has0_acc2")
            .WithExample("results", "--where", "\"(lr in (1e-4, 5e-5) or batch_size >= 16) and not seed = 1111\"", "--sort", "test.mae", "--top", "5")
            .WithExample("results", "--where", "\"test.mae < 0.7 and started >= '2026-11-01'\"", "--format", "csv")
            .WithExample("results", "--compare", "paper");
        config.AddBranch("plot", plot =>
        {
            plot.SetDescription("Pictures of stored results (PNG or SVG by the --out extension).");
            plot.AddCommand<Commands.Plots.PlotCurvesCommand>("curves")
                .WithDescription("Learning curves per epoch: one line per seed group (or --group-by group) with a mean ± std band over its seeds.")
                .WithExample("plot", "curves", "--sweep", "quickstart", "--out", "curves.png")
                .WithExample("plot", "curves", "--sweep", "quickstart", "--metric", "train_loss", "--group-by", "lr", "--out", "loss.svg");
            plot.AddCommand<Commands.Plots.PlotLeaderboardCommand>("leaderboard")
                .WithDescription("Bars of the group means of a test metric, error bars = sample std over the finished cells, n under each bar.")
                .WithExample("plot", "leaderboard", "--sweep", "quickstart", "--out", "leaderboard.png")
                .WithExample("plot", "leaderboard", "--metric", "has0_acc2", "--group-by", "backbone,dataset", "--out", "acc2.svg");
        });
        config.AddBranch("backbone", backbone =>
        {
            backbone.SetDescription("Frozen LLM backbones: inspect and create.");
            backbone.AddCommand<BackboneLogitsCommand>("logits")
                .WithDescription("Print the backbone's logits for token ids (compare with another implementation).")
                .WithExample("backbone", "logits", "--model", "models/tiny-llama", "--ids", "1,2,3", "--json");
            backbone.AddCommand<BackboneTokenizeCommand>("tokenize")
                .WithDescription("Print the ids the model's tokenizer gives a text, as Hugging Face's encode(text) (LLaMA: BOS first; Qwen-1: no BOS, special tokens in text recognised; ChatGLM3: [[gMASK]] sop first).")
                .WithExample("backbone", "tokenize", "--model", "models/tiny-llama", "--text", "The sentiment is", "--json");
            backbone.AddCommand<BackboneCreateTinyCommand>("create-tiny")
                .WithDescription("Write a small pretrained LLaMA, Qwen-1 or ChatGLM3 in the exact folder layout of the family's real checkpoints.")
                .WithExample("backbone", "create-tiny", "models/tiny-llama", "--seed", "0")
                .WithExample("backbone", "create-tiny", "models/my-qwen", "--family", "qwen");
        });
        config.AddBranch("bench", bench =>
        {
            bench.SetDescription("Benchmarks that print figures (speed and memory targets live here, not in tests).");
            bench.AddCommand<BenchDispatchCommand>("dispatch")
                .WithDescription("No-op trials through submit, queue, grains and store: trials/s and orchestrator ms per trial.")
                .WithExample("bench", "dispatch", "--trials", "10000");
            bench.AddCommand<BenchResultsCommand>("results")
                .WithDescription("Fills a fresh store with N trials and times the leaderboard and filter queries on SQLite and Postgres: p50/p95/max against 200 ms.")
                .WithExample("bench", "results", "--trials", "100000", "--provider", "both");
            bench.AddCommand<BenchWorkerCommand>("worker")
                .WithDescription("A lab worker whose devices run the benchmark's no-op or sleeping trials (started by bench dispatch --cluster).")
                .IsHidden();
            bench.AddCommand<BenchTrainCommand>("train")
                .WithDescription("Forward vs adapter train-step time, samples/s and peak memory for a tiny and a mid-size LLaMA.")
                .WithExample("bench", "train", "--compare-pytorch");
            bench.AddCommand<BenchDataCommand>("data")
                .WithDescription("Python's pickle.load of a generated MOSEI-shaped pickle against the dataset cache: prepare MB/s, open time, memory of 4 readers vs 1.")
                .WithExample("bench", "data", "--size-gb", "1")
                .WithExample("bench", "data", "--size-gb", "0.2", "--json", "--keep", "bench-data");
            bench.AddCommand<BenchPlanCommand>("plan")
                .WithDescription("The memory plan's estimate of one trial against its measured CPU peak, for the tiny preset and the 512x8 model (target within 20%).")
                .WithExample("bench", "plan", "--json");
            bench.AddCommand<BenchMemoryCommand>("memory")
                .WithDescription("Peak memory of loading the 512x8 preset and of concurrent trials sharing one backbone; their metrics against trials alone.")
                .WithExample("bench", "memory", "--json");
            bench.AddCommand<BenchFailoverCommand>("failover")
                .WithDescription("Worker hosts in network namespaces on the lab network (run `scripts/services.sh start` as root first): SIGKILLs and link cuts of the worker running a trial, timed until the trial runs on another host; then lost and duplicated cells.")
                .WithExample("bench", "failover", "--cluster", "lab.json", "--hosts", "3", "--kills", "5", "--partitions", "5", "--json");
            bench.AddBranch("hosts", hosts =>
            {
                hosts.SetDescription("Hosts by hand (scripts/lab-hosts.sh): network namespaces mselab-dev-hK on the lab network that stay until `down`. Needs root and `scripts/services.sh start`.");
                hosts.AddCommand<Commands.Bench.Hosts.HostsUpCommand>("up")
                    .WithDescription("Make N hosts, each with its own address on the lab network, reaching the servers and each other.")
                    .WithExample("bench", "hosts", "up", "3");
                hosts.AddCommand<Commands.Bench.Hosts.HostsDownCommand>("down")
                    .WithDescription("Remove the hosts with every process on them.");
                hosts.AddCommand<Commands.Bench.Hosts.HostsListCommand>("list")
                    .WithDescription("The hosts: number, namespace, address, cut or up, servers blocked.");
                hosts.AddCommand<Commands.Bench.Hosts.HostsLinkCommand>(Commands.Bench.Hosts.HostsLinkCommand.CutName)
                    .WithDescription("Cut host K off the network (its link down): nothing in or out.")
                    .WithExample("bench", "hosts", "cut", "2");
                hosts.AddCommand<Commands.Bench.Hosts.HostsLinkCommand>(Commands.Bench.Hosts.HostsLinkCommand.HealName)
                    .WithDescription("Bring host K's link back up.");
                hosts.AddCommand<Commands.Bench.Hosts.HostsBlockCommand>(Commands.Bench.Hosts.HostsBlockCommand.BlockName)
                    .WithDescription("Drop everything host K sends to one server (postgres, rabbitmq or redis); the rest of the network stays.")
                    .WithExample("bench", "hosts", "block", "1", "postgres");
                hosts.AddCommand<Commands.Bench.Hosts.HostsBlockCommand>(Commands.Bench.Hosts.HostsBlockCommand.UnblockName)
                    .WithDescription("Undo block.");
                hosts.AddCommand<Commands.Bench.Hosts.HostsExecCommand>("exec")
                    .WithDescription("Run a command line (bash) on host K, in its network namespace: e.g. a worker advertising the host's address.")
                    .WithExample("bench", "hosts", "exec", "1", "ip -4 addr");
            });
            bench.AddCommand<BenchEarlyStoppingCommand>("early-stopping")
                .WithDescription("One synthetic sweep on the tiny backbone (12 random learning rates x 3 seeds) run to the end and with ASHA on seed-group means: best configuration and epochs of each.")
                .WithExample("bench", "early-stopping", "--json");
        });
        config.AddBranch("adapter", adapter =>
        {
            adapter.SetDescription("Inspect the MSE-Adapter (the trained plugin between the features and the frozen LLM).");
            adapter.AddCommand<AdapterParamsCommand>("params")
                .WithDescription("Print the adapter's trainable-parameter count for a paper backbone and dataset (no backbone is loaded).")
                .WithExample("adapter", "params", "--backbone", "qwen-1.8b", "--dataset", "meld")
                .WithExample("adapter", "params", "--backbone", "llama2-7b", "--dataset", "mosei", "--json");
        });
        config.AddCommand<MetricsCommand>("metrics")
            .WithDescription("Compute the MSE-Adapter metrics (paper section 4 conventions) of a truth/prediction CSV; prints JSON.")
            .WithExample("metrics", "mosei", "predictions.csv")
            .WithExample("metrics", "meld", "test-predictions.csv");
    }
}
