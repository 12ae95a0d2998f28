using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Testing;

/// <summary>
/// Stands in for Meta's Graph API (POST /{version}/{phone_number_id}/messages) and Telegram's Bot API
/// (POST /bot{token}/sendMessage) on loopback. Records what it receives; can be told to fail.
/// </summary>
public sealed class FakeMessaging : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<(int Status, string Body)> _failures = new();

    private FakeMessaging(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public sealed record Sent(string Platform, string Path, string? Authorization, JsonNode Body);

    public List<Sent> Received { get; } = [];

    /// <summary>Answers the next requests with these statuses and bodies before succeeding again.</summary>
    public void FailNext(int status, string body, int times = 1)
    {
        lock (_failures)
        {
            for (var i = 0; i < times; i++)
            {
                _failures.Enqueue((status, body));
            }
        }
    }

    // Per-recipient failure injection: each request to that recipient takes the next entry, if any.
    private readonly Dictionary<string, Queue<(TimeSpan Delay, int Status, string Body)>> _byRecipient = [];
    private readonly List<Sent> _answered = [];

    /// <summary>The next <paramref name="times"/> requests to the recipient wait this long before answering (a platform that hangs).</summary>
    public void DelayFor(string recipient, TimeSpan delay, int times = 1) => Inject(recipient, (delay, 200, ""), times);

    /// <summary>The next <paramref name="times"/> requests to the recipient get this status and body.</summary>
    public void FailFor(string recipient, int status, string body, int times = 1) => Inject(recipient, (TimeSpan.Zero, status, body), times);

    private void Inject(string recipient, (TimeSpan Delay, int Status, string Body) failure, int times)
    {
        lock (_byRecipient)
        {
            if (!_byRecipient.TryGetValue(recipient, out var queue))
            {
                _byRecipient[recipient] = queue = new();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(failure);
            }
        }
    }

    /// <summary>The requests to the recipient the fake answered with success (what the customer actually got).</summary>
    public List<Sent> AnsweredTo(string recipient)
    {
        lock (_answered)
        {
            return _answered.Where(s => s.Body["to"]?.GetValue<string>() == recipient || s.Body["chat_id"]?.ToString() == recipient).ToList();
        }
    }

    public List<Sent> To(string recipient) =>
        Snapshot().Where(s => s.Body["to"]?.GetValue<string>() == recipient || s.Body["chat_id"]?.ToString() == recipient).ToList();

    public List<Sent> Snapshot()
    {
        lock (Received)
        {
            return [.. Received];
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages went to the recipient.</summary>
    public async Task<List<Sent>> WaitForAsync(string recipient, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline && To(recipient).Count < count)
        {
            await Task.Delay(100);
        }

        return To(recipient);
    }

    public static async Task<FakeMessaging> StartAsync()
    {
        var port = ProductProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeMessaging(app);
        app.MapPost("/{version}/{phoneNumberId}/messages", (HttpContext http) => fake.HandleAsync(http, "whatsapp"));
        app.MapPost("/{bot}/sendMessage", (HttpContext http) => fake.HandleAsync(http, "telegram"));
        app.MapGet("/{version}/{phoneNumberId}", (string phoneNumberId, HttpContext http) => fake.LookUpPhoneNumber(phoneNumberId, http));
        await app.StartAsync();
        fake.BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        return fake;
    }

    private async Task HandleAsync(HttpContext http, string platform)
    {
        var body = (await JsonNode.ParseAsync(http.Request.Body))!;
        var sent = new Sent(platform, http.Request.Path, http.Request.Headers.Authorization.FirstOrDefault(), body);
        lock (Received)
        {
            Received.Add(sent);
        }

        var recipient = body["to"]?.GetValue<string>() ?? body["chat_id"]?.ToString() ?? "";
        (TimeSpan Delay, int Status, string Body)? injected = null;
        lock (_byRecipient)
        {
            if (_byRecipient.TryGetValue(recipient, out var queue) && queue.Count > 0)
            {
                injected = queue.Dequeue();
            }
        }

        if (injected is { } i)
        {
            try
            {
                await Task.Delay(i.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (i.Status != 200)
            {
                http.Response.StatusCode = i.Status;
                await http.Response.WriteAsync(i.Body);
                return;
            }
        }

        (int Status, string Body)? failure = null;
        lock (_failures)
        {
            if (_failures.Count > 0)
            {
                failure = _failures.Dequeue();
            }
        }

        if (failure is { } f)
        {
            http.Response.StatusCode = f.Status;
            await http.Response.WriteAsync(f.Body);
            return;
        }

        lock (_answered)
        {
            _answered.Add(sent);
        }

        await http.Response.WriteAsJsonAsync(platform == "whatsapp"
            ? new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["contacts"] = new JsonArray(new JsonObject { ["input"] = body["to"]?.GetValue<string>(), ["wa_id"] = body["to"]?.GetValue<string>() }),
                ["messages"] = new JsonArray(new JsonObject { ["id"] = $"wamid.{Guid.NewGuid():N}" }),
            }
            : new JsonObject { ["ok"] = true, ["result"] = new JsonObject { ["message_id"] = Random.Shared.Next(1, 1_000_000) } });
    }

    private readonly Dictionary<string, string> _phoneNumberTokens = [];
    private readonly Queue<(int Status, string Body)> _lookupFailures = new();

    /// <summary>Makes GET /{version}/{phoneNumberId} answer 200 for this bearer token, as Meta does for the number's own app.</summary>
    public void RegisterPhoneNumber(string phoneNumberId, string accessToken)
    {
        lock (_phoneNumberTokens)
        {
            _phoneNumberTokens[phoneNumberId] = accessToken;
        }
    }

    /// <summary>Answers the next phone number look-up with this status and body; status 0 drops the connection instead.</summary>
    public void FailNextLookup(int status, string body = "")
    {
        lock (_lookupFailures)
        {
            _lookupFailures.Enqueue((status, body));
        }
    }

    // Meta: 200 {verified_name, display_phone_number, id}; 401 (code 190) for a token it does not know;
    // 400 (code 100) for a number the token does not manage.
    private IResult LookUpPhoneNumber(string phoneNumberId, HttpContext http)
    {
        (int Status, string Body)? failure = null;
        lock (_lookupFailures)
        {
            if (_lookupFailures.Count > 0)
            {
                failure = _lookupFailures.Dequeue();
            }
        }

        if (failure is { Status: 0 })
        {
            http.Abort();
            return Results.Empty;
        }

        if (failure is { } f)
        {
            return Results.Text(f.Body, "application/json", statusCode: f.Status);
        }

        var token = http.Request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
            ? header["Bearer ".Length..] : null;
        bool owned, known;
        lock (_phoneNumberTokens)
        {
            owned = token is not null && _phoneNumberTokens.TryGetValue(phoneNumberId, out var expected) && expected == token;
            known = token is not null && _phoneNumberTokens.ContainsValue(token);
        }

        if (owned)
        {
            return Results.Json(new JsonObject
            {
                ["verified_name"] = "Negocio de prueba",
                ["display_phone_number"] = "+57 300 000 0000",
                ["id"] = phoneNumberId,
                ["quality_rating"] = "GREEN",
            });
        }

        return known
            ? Results.Json(new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = $"Unsupported get request. Object with ID '{phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                    ["type"] = "GraphMethodException",
                    ["code"] = 100,
                },
            }, statusCode: 400)
            : Results.Json(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = "Invalid OAuth access token - Cannot parse access token", ["type"] = "OAuthException", ["code"] = 190 },
            }, statusCode: 401);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
