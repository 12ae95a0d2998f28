using System.Diagnostics;
using Npgsql;

namespace AgenteVendedor.Testing;

/// <summary>
/// A PostgreSQL server of a test's own (initdb into a temporary folder, run as the postgres user on a
/// free loopback port), for tests that stop and start the database under the product: the server
/// ./test.sh starts is shared by every other test and must never go down.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly string _bin;

    private PostgresServer(string directory, string bin, int port)
    {
        _directory = directory;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    private string Data => Path.Combine(_directory, "data");

    public NpgsqlConnectionStringBuilder ConnectionString => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = "postgres",
    };

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderBy(d => d, StringComparer.Ordinal)
            .LastOrDefault() ?? throw new InvalidOperationException("PostgreSQL is not installed (run ./test.sh, which installs it).");
        var directory = Directory.CreateTempSubdirectory("av-pg-").FullName;
        var server = new PostgresServer(directory, bin, ProductProcess.FreePort());
        await RunAsync("chown", "postgres:postgres", directory);
        await RunAsync("chmod", "700", directory);
        // Trust on loopback: the server lives for one test, bound to 127.0.0.1, in a 0700 folder.
        await server.AsPostgresAsync("initdb", "-D", server.Data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8");
        await server.StartServerAsync();
        return server;
    }

    /// <summary>Starts the server and returns when it accepts connections.</summary>
    public Task StartServerAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-l", Path.Combine(_directory, "postgres.log"), "-w", "-t", "60", "start",
        "-o", $"-c listen_addresses=127.0.0.1 -p {Port} -c unix_socket_directories={_directory} -c fsync=off -c max_connections=300 -c timezone=UTC");

    /// <summary>A fast shutdown, as an operator's restart or a managed failover does: every session is terminated.</summary>
    public Task StopServerAsync() => AsPostgresAsync("pg_ctl", "-D", Data, "-m", "fast", "-w", "-t", "60", "stop");

    private Task AsPostgresAsync(string tool, params string[] args) =>
        RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args]);

    private static async Task RunAsync(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }
}
