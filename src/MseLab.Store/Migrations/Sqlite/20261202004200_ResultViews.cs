using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MseLab.Store.Migrations.Sqlite
{
    /// <summary>
    /// The SQL views for people who read the store with psql, sqlite3, pandas or DuckDB: <c>trial_results</c> (one row per trial:
    /// configuration, status and one column per test metric), <c>epoch_metrics</c> (one row per stored epoch, one column per
    /// validation metric) and <c>seed_groups</c> (mean, sample variance and std, n of each test metric per seed group).
    /// </summary>
    /// <remarks>
    /// Views are not part of the EF model, so the model snapshot does not change. A migration is history: this one keeps its own
    /// copy of the SQL (and of the metric names, those of <c>MetricKeys</c> when it was written), and a later change to a view
    /// is a new migration that drops and creates it again. A metric value that is not a finite number (NaN, which SQLite stores
    /// as NULL, or an infinity) reads NULL, and <c>seed_groups</c> leaves it out, as <c>Leaderboard.Summarise</c> does.
    /// SQLite has no stddev aggregate: the variance is two passes (the mean, then the squared deviations from it), and
    /// <c>std</c> needs <c>sqrt()</c>, which SQLite has when built with its math functions (the default since 3.35; e_sqlite3 and
    /// Debian's libsqlite3 are). Later migrations that rebuild a table these views read (SQLite's way to alter a column) must
    /// drop the views first and create them again after, since SQLite checks views when a table is renamed.
    /// </remarks>
    public partial class ResultViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(TrialResults);
            migrationBuilder.Sql(EpochMetrics);
            migrationBuilder.Sql(SeedGroups);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW IF EXISTS seed_groups");
            migrationBuilder.Sql("DROP VIEW IF EXISTS epoch_metrics");
            migrationBuilder.Sql("DROP VIEW IF EXISTS trial_results");
        }

        // A column per metric name that any task stores, each a lookup by test_metrics' primary key (SQLite has no LATERAL; a
        // query that selects a few columns looks up only those); the dataset name is the dataset before any @pin or ?parameters,
        // lower case (as DatasetNames.Of).
        private const string TrialResults = """
            CREATE VIEW trial_results AS
            SELECT
                t."SweepId" AS sweep,
                t."Key" AS trial_key,
                t."SeedGroup" AS seed_group,
                t."Backbone" AS backbone,
                json_extract(t."ResolvedConfig", '$.BackboneFamily') AS family,
                t."Dataset" AS dataset,
                lower(trim(substr(t."Dataset", 1, min(instr(t."Dataset" || '@', '@'), instr(t."Dataset" || '?', '?')) - 1))) AS dataset_name,
                json_extract(t."ResolvedConfig", '$.Task') AS task,
                t."Seed" AS seed,
                t."LearningRate" AS lr,
                json_extract(t."ResolvedConfig", '$.BatchSize') AS batch_size,
                json_extract(t."ResolvedConfig", '$.EvalBatchSize') AS eval_batch_size,
                json_extract(t."ResolvedConfig", '$.WarmUpEpochs') AS warm_up_epochs,
                json_extract(t."ResolvedConfig", '$.EarlyStop') AS early_stop,
                json_extract(t."ResolvedConfig", '$.PseudoTokens') AS pseudo_tokens,
                json_extract(t."ResolvedConfig", '$.AudioHidden') AS audio_hidden,
                json_extract(t."ResolvedConfig", '$.VideoHidden') AS video_hidden,
                json_extract(t."ResolvedConfig", '$.TextLength') AS text_length,
                json_extract(t."ResolvedConfig", '$.MaxNewTokens') AS max_new_tokens,
                t."MaxEpochs" AS max_epochs,
                json_extract(t."ResolvedConfig", '$.AdamEps') AS adam_eps,
                json_extract(t."ResolvedConfig", '$.WeightDecay') AS weight_decay,
                coalesce(json_extract(t."ResolvedConfig", '$.Precision'), 'fp32') AS precision,
                t."DeviceKind" AS device_kind,
                t."Status" AS status,
                t."Attempt" AS attempt,
                t."Failures" AS failures,
                t."Device" AS device,
                t."Epoch" AS epoch,
                t."TrainLoss" AS train_loss,
                t."BestEpoch" AS best_epoch,
                t."BestValidation" AS best_valid,
                t."StoppedBy" AS stopped_by,
                t."Error" AS error,
                t."QueuedAt" AS queued_at,
                t."StartedAt" AS started_at,
                t."FinishedAt" AS finished_at,
                t."Seconds" AS seconds,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'has0_acc2' AND abs(m."Value") < 9e999) AS test_has0_acc2,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'has0_f1' AND abs(m."Value") < 9e999) AS test_has0_f1,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'non0_acc2' AND abs(m."Value") < 9e999) AS test_non0_acc2,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'non0_f1' AND abs(m."Value") < 9e999) AS test_non0_f1,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'acc5' AND abs(m."Value") < 9e999) AS test_acc5,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'acc7' AND abs(m."Value") < 9e999) AS test_acc7,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'mae' AND abs(m."Value") < 9e999) AS test_mae,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'corr' AND abs(m."Value") < 9e999) AS test_corr,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'acc2' AND abs(m."Value") < 9e999) AS test_acc2,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'acc2_weak' AND abs(m."Value") < 9e999) AS test_acc2_weak,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'acc3' AND abs(m."Value") < 9e999) AS test_acc3,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'f1' AND abs(m."Value") < 9e999) AS test_f1,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'r2' AND abs(m."Value") < 9e999) AS test_r2,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'acc' AND abs(m."Value") < 9e999) AS test_acc,
                (SELECT m."Value" FROM test_metrics AS m WHERE m."SweepId" = t."SweepId" AND m."TrialKey" = t."Key" AND m."Name" = 'weighted_f1' AND abs(m."Value") < 9e999) AS test_weighted_f1
            FROM trials AS t
            """;

        private const string EpochMetrics = """
            CREATE VIEW epoch_metrics AS
            SELECT
                t."SweepId" AS sweep,
                t."Key" AS trial_key,
                t."SeedGroup" AS seed_group,
                t."Backbone" AS backbone,
                json_extract(t."ResolvedConfig", '$.BackboneFamily') AS family,
                t."Dataset" AS dataset,
                lower(trim(substr(t."Dataset", 1, min(instr(t."Dataset" || '@', '@'), instr(t."Dataset" || '?', '?')) - 1))) AS dataset_name,
                t."Seed" AS seed,
                t."LearningRate" AS lr,
                e."Epoch" AS epoch,
                e."Attempt" AS attempt,
                e."TrainLoss" AS train_loss,
                e."LearningRate" AS learning_rate,
                e."Seconds" AS seconds,
                e."SamplesPerSecond" AS samples_per_second,
                CASE WHEN json_type(e."Validation", '$.has0_acc2') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.has0_acc2') AS REAL) END AS valid_has0_acc2,
                CASE WHEN json_type(e."Validation", '$.has0_f1') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.has0_f1') AS REAL) END AS valid_has0_f1,
                CASE WHEN json_type(e."Validation", '$.non0_acc2') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.non0_acc2') AS REAL) END AS valid_non0_acc2,
                CASE WHEN json_type(e."Validation", '$.non0_f1') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.non0_f1') AS REAL) END AS valid_non0_f1,
                CASE WHEN json_type(e."Validation", '$.acc5') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.acc5') AS REAL) END AS valid_acc5,
                CASE WHEN json_type(e."Validation", '$.acc7') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.acc7') AS REAL) END AS valid_acc7,
                CASE WHEN json_type(e."Validation", '$.mae') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.mae') AS REAL) END AS valid_mae,
                CASE WHEN json_type(e."Validation", '$.corr') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.corr') AS REAL) END AS valid_corr,
                CASE WHEN json_type(e."Validation", '$.acc2') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.acc2') AS REAL) END AS valid_acc2,
                CASE WHEN json_type(e."Validation", '$.acc2_weak') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.acc2_weak') AS REAL) END AS valid_acc2_weak,
                CASE WHEN json_type(e."Validation", '$.acc3') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.acc3') AS REAL) END AS valid_acc3,
                CASE WHEN json_type(e."Validation", '$.f1') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.f1') AS REAL) END AS valid_f1,
                CASE WHEN json_type(e."Validation", '$.r2') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.r2') AS REAL) END AS valid_r2,
                CASE WHEN json_type(e."Validation", '$.acc') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.acc') AS REAL) END AS valid_acc,
                CASE WHEN json_type(e."Validation", '$.weighted_f1') IN ('integer', 'real') THEN CAST(json_extract(e."Validation", '$.weighted_f1') AS REAL) END AS valid_weighted_f1
            FROM epochs AS e
            JOIN trials AS t ON t."SweepId" = e."SweepId" AND t."Key" = e."TrialKey"
            """;

        private const string SeedGroups = """
            CREATE VIEW seed_groups AS
            WITH groups AS (
                SELECT
                    "SweepId" AS sweep,
                    "SeedGroup" AS seed_group,
                    min("Backbone") AS backbone,
                    min(json_extract("ResolvedConfig", '$.BackboneFamily')) AS family,
                    min("Dataset") AS dataset,
                    min(lower(trim(substr("Dataset", 1, min(instr("Dataset" || '@', '@'), instr("Dataset" || '?', '?')) - 1)))) AS dataset_name,
                    min("LearningRate") AS lr,
                    sum(CASE WHEN "Status" = 'Succeeded' THEN 1 ELSE 0 END) AS finished,
                    count(*) AS planned
                FROM trials
                GROUP BY "SweepId", "SeedGroup"),
            cells AS (
                SELECT t."SweepId" AS sweep, t."SeedGroup" AS seed_group, m."Name" AS metric, CASE WHEN abs(m."Value") < 9e999 THEN m."Value" END AS value
                FROM test_metrics AS m
                JOIN trials AS t ON t."SweepId" = m."SweepId" AND t."Key" = m."TrialKey"
                WHERE t."Status" = 'Succeeded'),
            means AS (
                SELECT sweep, seed_group, metric, count(value) AS n, avg(value) AS mean
                FROM cells
                GROUP BY sweep, seed_group, metric),
            spreads AS (
                SELECT a.sweep, a.seed_group, a.metric, a.n, a.mean,
                    CASE WHEN a.n > 1 THEN sum((c.value - a.mean) * (c.value - a.mean)) / (a.n - 1) END AS variance
                FROM means AS a
                JOIN cells AS c ON c.sweep = a.sweep AND c.seed_group = a.seed_group AND c.metric = a.metric
                GROUP BY a.sweep, a.seed_group, a.metric, a.n, a.mean)
            SELECT g.sweep, g.seed_group, g.backbone, g.family, g.dataset, g.dataset_name, g.lr, s.metric, s.n, g.finished, g.planned, s.mean, s.variance,
                sqrt(s.variance) AS std
            FROM groups AS g
            JOIN spreads AS s ON s.sweep = g.sweep AND s.seed_group = g.seed_group
            """;
    }
}
