using System.Net;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// Limits and lock-outs count real clients: behind a trusted proxy (loopback by default) the address
/// in X-Forwarded-For is the client's. Low limits on a stack of its own.
/// </summary>
public sealed class AbuseTests : IAsyncLifetime
{
    private const int AuthPermits = 6;
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private int _nextAddress = 1;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, settings: new Dictionary<string, string>
        {
            ["RateLimiting__AuthPermitsPerMinute"] = AuthPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting__ChatPermitsPerMinute"] = "3",
            ["RateLimiting__WebhookPermitsPerSecond"] = "1",
            ["RateLimiting__UserCreationsPerMinute"] = "2",
        });
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>A client the proxy says is at its own address (203.0.113.x, documentation range).</summary>
    private ApiClient NewClient(out string address)
    {
        address = $"203.0.113.{Interlocked.Increment(ref _nextAddress)}";
        var http = _stack.CreateClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return new ApiClient(http);
    }

    private ApiClient NewClient() => NewClient(out _);

    [Fact]
    public async Task The_sign_in_limit_counts_each_real_client_behind_the_proxy()
    {
        using var first = NewClient();
        using var second = NewClient();
        for (var i = 0; i < AuthPermits; i++)
        {
            (await first.PostAsync("/auth/login", new { email = $"nadie{i}@ejemplo.co", password = "no-es-esta" })).AssertProblem(HttpStatusCode.Unauthorized);
        }

        var limited = await first.PostAsync("/auth/login", new { email = "nadie@ejemplo.co", password = "no-es-esta" });
        limited.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Contains("demasiadas solicitudes", limited.Detail, StringComparison.Ordinal);

        (await second.PostAsync("/auth/login", new { email = "nadie@ejemplo.co", password = "no-es-esta" })).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_stranger_who_fails_five_times_locks_out_only_their_own_address()
    {
        using var owner = NewClient();
        using var stranger = NewClient();
        var tenant = await owner.RegisterAsync();
        for (var i = 0; i < 5; i++)
        {
            (await stranger.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = $"adivino-{i}" })).AssertProblem(HttpStatusCode.Unauthorized);
        }

        var locked = await stranger.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = ApiClient.Password });
        locked.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Contains("intentos fallidos", locked.Detail, StringComparison.Ordinal);

        var signedIn = await owner.PostAsync("/auth/login", new { email = tenant.AdminEmail, password = ApiClient.Password });
        Assert.Equal(HttpStatusCode.OK, signedIn.Status);
    }

    [Fact]
    public async Task Chat_is_limited_per_user()
    {
        using var setup = NewClient();
        var tenant = await setup.RegisterAsync();
        using var other = NewClient();
        var (seller, _, _) = await other.AddUserAsync(tenant, "vendedor");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PostAsync("/chat", new { mensaje = "hola" })).Status);
        }

        var limited = await tenant.Admin.PostAsync("/chat", new { mensaje = "hola" });
        limited.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync("/chat", new { mensaje = "hola" })).Status);
    }

    [Fact]
    public async Task Creating_users_is_limited_per_empresa()
    {
        using var setup = NewClient();
        var tenant = await setup.RegisterAsync();
        using var otherSetup = NewClient();
        var other = await otherSetup.RegisterAsync();
        object NewUser() => new { nombre = "Vendedor", email = $"v.{Guid.NewGuid():N}@ejemplo.co", password = ApiClient.Password, rol = "vendedor" };
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/usuarios", NewUser())).Status);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Admin.PostAsync("/usuarios", NewUser())).Status);

        (await tenant.Admin.PostAsync("/usuarios", NewUser())).AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.Created, (await other.Admin.PostAsync("/usuarios", NewUser())).Status);
        var users = await tenant.Admin.GetAsync("/usuarios");
        Assert.Equal(3, users.Json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Webhooks_are_limited_per_client()
    {
        using var flood = NewClient();
        using var platform = NewClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add((await flood.SendRawAsync(HttpMethod.Post, "/webhooks/whatsapp", "{}", "application/json")).Status);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, answers);
        Assert.DoesNotContain(answers, a => (int)a >= 500);
        var fromElsewhere = await platform.SendRawAsync(HttpMethod.Post, "/webhooks/whatsapp", "{}", "application/json");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, fromElsewhere.Status);
    }
}

/// <summary>X-Forwarded-For from an address that is not a trusted proxy is ignored: every such request counts as the sender's.</summary>
public sealed class UntrustedProxyTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, settings: new Dictionary<string, string>
        {
            ["RateLimiting__AuthPermitsPerMinute"] = "3",
            ["Network__TrustedProxies"] = "10.9.9.9",
        });
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task A_forged_forwarded_address_does_not_buy_a_fresh_limit()
    {
        async Task<Answer> LoginAsync(string claimedAddress)
        {
            using var http = _stack.CreateClient();
            http.DefaultRequestHeaders.Add("X-Forwarded-For", claimedAddress);
            return await new ApiClient(http).PostAsync("/auth/login", new { email = "nadie@ejemplo.co", password = "no-es-esta" });
        }

        for (var i = 0; i < 3; i++)
        {
            (await LoginAsync($"198.51.100.{i + 1}")).AssertProblem(HttpStatusCode.Unauthorized);
        }

        (await LoginAsync("198.51.100.200")).AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync("198.51.100.201")).Status);
    }
}
