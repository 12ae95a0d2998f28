using System.Net;
using System.Text.Json.Nodes;

namespace AgenteVendedor.Testing;

/// <summary>
/// The product as ./run.sh runs it: silo processes and one Api process on loopback ports, all on
/// one PostgreSQL database, with a cluster id of their own.
/// </summary>
public sealed class ProductStack : IAsyncDisposable
{
    private readonly List<ProductProcess> _silos = [];
    private readonly Dictionary<ProductProcess, int> _siloPorts = [];

    private ProductStack(Dictionary<string, string> environment, string dataDirectory)
    {
        Environment = environment;
        DataDirectory = dataDirectory;
    }

    /// <summary>Membership settings that declare a killed silo dead in seconds instead of the production default.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastFailover = new Dictionary<string, string>
    {
        ["Orleans__Membership__ProbeTimeout"] = "00:00:01",
        ["Orleans__Membership__NumMissedProbesLimit"] = "2",
        ["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02",
        ["Orleans__Membership__TableRefreshTimeout"] = "00:00:02",
    };

    public IReadOnlyDictionary<string, string> Environment { get; }

    public string DataDirectory { get; }

    public IReadOnlyList<ProductProcess> Silos => _silos;

    public ProductProcess Api { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<ProductStack> StartAsync(
        PostgresDatabase database, int silos = 1, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("agentevendedor-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = database.ConnectionString,
            ["Orleans__ClusterId"] = database.Name,
            ["Orleans__ServiceId"] = database.Name,
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DataDirectory"] = dataDirectory,
            ["Security__PasswordIterations"] = "10000",
            // Limits are tested on their own stacks (AbuseTests); everywhere else they stay out of the way.
            ["RateLimiting__AuthPermitsPerMinute"] = "100000",
            ["RateLimiting__ChatPermitsPerMinute"] = "100000",
            ["RateLimiting__WebhookPermitsPerSecond"] = "100000",
            ["RateLimiting__UserCreationsPerMinute"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans.Runtime.Silo"] = "Information",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var stack = new ProductStack(environment, dataDirectory);
        try
        {
            for (var i = 0; i < silos; i++)
            {
                stack.StartSilo();
            }

            // A free port may be taken by another process before the Api binds it (many stacks start at once):
            // then the Api exits at once, and it is started again on another port.
            for (var attempt = 1; ; attempt++)
            {
                var port = ProductProcess.FreePort();
                stack.BaseAddress = new Uri($"http://127.0.0.1:{port}");
                stack.Api = ProductProcess.Start("api", Repository.ApiDll, environment, "--urls", stack.BaseAddress.ToString());
                try
                {
                    await stack.WaitUntilReadyAsync(silos, TimeSpan.FromSeconds(90));
                    return stack;
                }
                catch (InvalidOperationException) when (attempt < 3 && stack.Api.HasExited
                    && stack.Api.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    await stack.Api.DisposeAsync();
                }
            }
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silo-to-silo port of a silo process: what Orleans shows in its SiloAddress.</summary>
    public int SiloPortOf(ProductProcess silo) => _siloPorts[silo];

    public ProductProcess StartSilo()
    {
        var siloPort = ProductProcess.FreePort();
        var environment = new Dictionary<string, string>(Environment)
        {
            ["Orleans__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var silo = ProductProcess.Start($"silo{_silos.Count + 1}", Repository.SiloDll, environment);
        _silos.Add(silo);
        _siloPorts[silo] = siloPort;
        return silo;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Waits until /health/ready answers 200 and reports the given number of active silos.</summary>
    public async Task WaitUntilReadyAsync(int activeSilos, TimeSpan timeout)
    {
        using var http = CreateClient();
        http.Timeout = TimeSpan.FromSeconds(10);
        var deadline = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (Api.HasExited || _silos.Any(s => s.HasExited && !s.Killed))
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync("/health/ready");
                last = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.OK
                    && JsonNode.Parse(last)?["componentes"]?["cluster"]?["detalle"]?.GetValue<string>() is { } detail
                    && detail.StartsWith($"{activeSilos} silo", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e)
            {
                last = e.Message;
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException(
            $"The product did not become ready with {activeSilos} silo(s): {last}\n{Diagnostics()}");
    }

    public string Diagnostics() => string.Join("\n", _silos.Append(Api).Where(p => p is not null)
        .Select(p => $"--- {p.Name} (exited: {p.HasExited}) ---\n{Tail(p.Output, 60)}"));

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (Api is not null)
        {
            await Api.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
