using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Testing;

/// <summary>
/// Stands in for Meta's Graph API (POST /{version}/{phone_number_id}/messages) and Telegram's Bot API
/// (POST /bot{token}/sendMessage) on loopback, as strict as the platforms: only the phone number ids and
/// tokens a test registered are served (401 otherwise), and a body outside the documented shape or
/// limits gets the platform's 400 with its error JSON. Records what it accepted and what it refused;
/// can be told to fail the next sends to one recipient.
/// </summary>
public sealed partial class FakeMessaging : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, string> _whatsAppTokens = [];
    private readonly HashSet<string> _botTokens = [];
    private readonly Dictionary<string, Queue<(TimeSpan Delay, int Status, string Body)>> _failures = [];
    private readonly List<Sent> _answered = [];
    private readonly Queue<(int Status, string Body)> _lookupFailures = new();
    private readonly Dictionary<string, (string Token, List<FakeTemplate> Templates)> _templates = [];
    private readonly Queue<(int Status, string Body)> _templateListFailures = new();
    private readonly Dictionary<string, Queue<DateTime>> _numberWindows = [];
    private readonly Dictionary<string, (double Tokens, DateTime At)> _pairBuckets = [];

    private FakeMessaging(WebApplication app, FakeLimits limits)
    {
        _app = app;
        Limits = limits;
    }

    /// <summary>
    /// Meta's throughput limits as this fake enforces them on message sends: per business number at most
    /// <paramref name="MessagesPerSecond"/> in any 1-second window (beyond: 400, code 130429), and per
    /// (number, customer) pair a bucket of <paramref name="RecipientBurst"/> messages refilled one every
    /// <paramref name="RecipientPeriod"/> (beyond: 400, code 131056).
    /// </summary>
    public sealed record FakeLimits(int MessagesPerSecond, int RecipientBurst, TimeSpan RecipientPeriod)
    {
        /// <summary>The Cloud API's defaults, the same as the product's defaults (Channels:WhatsApp*).</summary>
        public static readonly FakeLimits Meta = new(80, 20, TimeSpan.FromSeconds(6));
    }

    public FakeLimits Limits { get; }

    /// <summary>An approved (or pending, rejected…) template of a WhatsApp Business Account, with its BODY text ("Hola {{1}}…").</summary>
    public sealed record FakeTemplate(string Name, string Language, string Body, string Status = "APPROVED", string Category = "UTILITY")
    {
        public int Parameters => PlaceholderRegex().Matches(Body).Select(m => m.Value).Distinct().Count();
    }

    /// <summary>
    /// Makes a WhatsApp Business Account known with its templates: GET /{version}/{wabaId}/message_templates needs this bearer token,
    /// and template sends with that token must name one of them, with as many body parameters as it has (132001, 132000 otherwise).
    /// </summary>
    public void RegisterTemplates(string wabaId, string accessToken, params FakeTemplate[] templates)
    {
        lock (_templates)
        {
            _templates[wabaId] = (accessToken, [.. templates]);
        }
    }

    /// <summary>Answers the next template list with this status and body; status 0 drops the connection instead.</summary>
    public void FailNextTemplateList(int status, string body = "")
    {
        lock (_templateListFailures)
        {
            _templateListFailures.Enqueue((status, body));
        }
    }

    /// <summary>How many template lists were asked for, with the bearer of each (for the bearer and paging checks).</summary>
    public List<(string WabaId, string? Authorization, string Query)> TemplateLists { get; } = [];

    public Uri BaseUrl { get; private set; } = null!;

    /// <param name="Status">What the fake answered: 200, or the status of an injected failure.</param>
    public sealed record Sent(string Platform, string Path, string? Authorization, JsonNode Body, int Status = 200);

    /// <summary>A request the fake refused as the platform would (bad token, unknown number, a body outside the limits).</summary>
    public sealed record Refusal(string Platform, string Path, string? Recipient, int Status, string Reason, string Body);

    /// <summary>Requests that passed the platform's checks (including those answered with an injected failure).</summary>
    public List<Sent> Received { get; } = [];

    public List<Refusal> Refused { get; } = [];

    /// <summary>
    /// Makes a WhatsApp business number known: sends from it need exactly this bearer token, and
    /// GET /{version}/{phoneNumberId} with that token answers the number (the claim check).
    /// </summary>
    public void RegisterWhatsApp(string phoneNumberId, string accessToken)
    {
        lock (_whatsAppTokens)
        {
            _whatsAppTokens[phoneNumberId] = accessToken;
        }
    }

    /// <summary>Makes a Telegram bot known by its token.</summary>
    public void RegisterTelegram(string botToken)
    {
        lock (_botTokens)
        {
            _botTokens.Add(botToken);
        }
    }

    /// <summary>Answers the next sends to this recipient (wa_id or chat_id) with this status and body, then succeeds again.</summary>
    public void FailNext(string recipient, int status, string body, int times = 1) => Inject(recipient, (TimeSpan.Zero, status, body), times);

    /// <summary>The next <paramref name="times"/> sends to the recipient wait this long before answering (a platform that hangs).</summary>
    public void DelayFor(string recipient, TimeSpan delay, int times = 1) => Inject(recipient, (delay, 200, ""), times);

    private void Inject(string recipient, (TimeSpan Delay, int Status, string Body) failure, int times)
    {
        lock (_failures)
        {
            if (!_failures.TryGetValue(recipient, out var queue))
            {
                _failures[recipient] = queue = new();
            }

            for (var i = 0; i < times; i++)
            {
                queue.Enqueue(failure);
            }
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

    /// <summary>The sends to the recipient the fake answered with success: what the customer actually got.</summary>
    public List<Sent> AnsweredTo(string recipient)
    {
        lock (_answered)
        {
            return _answered.Where(s => RecipientOf(s.Platform, s.Body) == recipient).ToList();
        }
    }

    /// <summary>A Graph API error body, as Meta writes it.</summary>
    public static string MetaError(int code, string message, string? details = null, int? subcode = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = "OAuthException", ["code"] = code };
        if (subcode is { } s)
        {
            error["error_subcode"] = s;
        }

        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        }

        error["fbtrace_id"] = $"A{Guid.NewGuid():N}"[..24];
        return new JsonObject { ["error"] = error }.ToJsonString();
    }

    /// <summary>A Bot API error body, as Telegram writes it.</summary>
    public static string TelegramError(int code, string description) =>
        new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description }.ToJsonString();

    public List<Sent> To(string recipient) => Snapshot().Where(s => RecipientOf(s.Platform, s.Body) == recipient).ToList();

    public List<Sent> Snapshot()
    {
        lock (Received)
        {
            return [.. Received];
        }
    }

    public List<Refusal> RefusedFor(string recipient)
    {
        lock (Refused)
        {
            return Refused.Where(r => r.Recipient == recipient).ToList();
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> requests to the recipient passed the platform's checks.
    /// A request to the recipient that the fake refused fails the wait at once, with the platform's reason.
    /// </summary>
    public async Task<List<Sent>> WaitForAsync(string recipient, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline && To(recipient).Count < count)
        {
            if (RefusedFor(recipient) is [var first, ..])
            {
                throw new InvalidOperationException($"The {first.Platform} fake refused a send to {recipient} with {first.Status}: {first.Reason}\n{first.Body}");
            }

            await Task.Delay(100);
        }

        return To(recipient);
    }

    public static async Task<FakeMessaging> StartAsync(FakeLimits? limits = null)
    {
        var port = ProductProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeMessaging(app, limits ?? FakeLimits.Meta);
        app.MapPost("/{version}/{phoneNumberId}/messages", (HttpContext http, string version, string phoneNumberId) => fake.WhatsAppAsync(http, version, phoneNumberId));
        app.MapPost("/{bot}/sendMessage", (HttpContext http, string bot) => fake.TelegramAsync(http, bot, photo: false));
        app.MapPost("/{bot}/sendPhoto", (HttpContext http, string bot) => fake.TelegramAsync(http, bot, photo: true));
        app.MapGet("/{version}/{phoneNumberId}", (string phoneNumberId, HttpContext http) => fake.DescribeMedia(phoneNumberId, http) ?? fake.LookUpPhoneNumber(phoneNumberId, http));
        app.MapGet("/{version}/{wabaId}/message_templates", (string wabaId, HttpContext http) => fake.ListTemplates(wabaId, http));
        MapCatalog(app, fake);
        fake.MapMedia(app);
        await app.StartAsync();
        fake.BaseUrl = new Uri($"http://127.0.0.1:{port}/");
        return fake;
    }

    private static string? RecipientOf(string platform, JsonNode? body) => platform == "whatsapp"
        ? (body?["to"] as JsonValue)?.ToString()
        : (body?["chat_id"] as JsonValue)?.ToString();

    private static async Task<(JsonNode? Json, string Text)> ReadAsync(HttpContext http)
    {
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        try
        {
            return (JsonNode.Parse(text), text);
        }
        catch (JsonException)
        {
            return (null, text);
        }
    }

    private async Task WhatsAppAsync(HttpContext http, string version, string phoneNumberId)
    {
        var (body, text) = await ReadAsync(http);
        var authorization = http.Request.Headers.Authorization.FirstOrDefault();
        string? token;
        lock (_whatsAppTokens)
        {
            token = _whatsAppTokens.GetValueOrDefault(phoneNumberId);
        }

        (int Status, string Reason, string Error)? refusal = null;
        if (!GraphVersion().IsMatch(version))
        {
            refusal = (400, $"unknown version {version}", MetaError(2500, $"Unknown path components: /{version}/{phoneNumberId}/messages"));
        }
        else if (token is null)
        {
            refusal = (400, $"unknown phone_number_id {phoneNumberId}", MetaError(100,
                $"Unsupported post request. Object with ID '{phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                subcode: 33));
        }
        else if (authorization != $"Bearer {token}")
        {
            refusal = (401, authorization is null ? "no Authorization header" : "wrong access token",
                MetaError(190, "Invalid OAuth access token - Cannot parse access token"));
        }
        else if (WhatsAppBodyProblem(body) is { } problem)
        {
            refusal = (400, problem.Details, MetaError(problem.Code, problem.Code == 100 ? "(#100) Invalid parameter" : problem.Code == 131008
                ? "(#131008) Required parameter is missing" : "(#131009) Parameter value is not valid", problem.Details));
        }
        else if (CatalogProductsProblem(token, body!) is { } catalogProblem)
        {
            refusal = (400, catalogProblem.Details, MetaError(catalogProblem.Code, "(#131009) Parameter value is not valid", catalogProblem.Details));
        }
        else if (TemplateProblem(token, body!) is { } templateProblem)
        {
            refusal = (400, templateProblem.Details, MetaError(templateProblem.Code, templateProblem.Code == 132001
                ? "(#132001) Template name does not exist in the translation" : "(#132000) Number of parameters does not match the expected number of params",
                templateProblem.Details));
        }
        else if (body!["status"] is null && RateProblem(phoneNumberId, RecipientOf("whatsapp", body)!) is { } rate)
        {
            refusal = (400, rate.Details, MetaError(rate.Code, rate.Code == 130429
                ? "(#130429) Rate limit hit" : "(#131056) (Business Account, Consumer Account) pair rate limit hit", rate.Details));
        }

        await AnswerAsync(http, "whatsapp", body, text, authorization, refusal, () => body!["status"] is not null
            ? new JsonObject { ["success"] = true }
            : new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["contacts"] = new JsonArray(new JsonObject { ["input"] = RecipientOf("whatsapp", body), ["wa_id"] = RecipientOf("whatsapp", body) }),
                ["messages"] = new JsonArray(new JsonObject { ["id"] = $"wamid.{Guid.NewGuid():N}" }),
            });
    }

    private async Task TelegramAsync(HttpContext http, string bot, bool photo)
    {
        var (body, text) = await ReadAsync(http);
        bool known;
        lock (_botTokens)
        {
            known = bot.StartsWith("bot", StringComparison.Ordinal) && _botTokens.Contains(bot["bot".Length..]);
        }

        (int Status, string Reason, string Error)? refusal = null;
        if (!known)
        {
            refusal = (401, $"unknown bot token in {bot}", TelegramError(401, "Unauthorized"));
        }
        else if ((photo ? TelegramPhotoProblem(body) : TelegramBodyProblem(body)) is { } problem)
        {
            refusal = (400, problem, TelegramError(400, "Bad Request: " + problem));
        }

        await AnswerAsync(http, "telegram", body, text, http.Request.Headers.Authorization.FirstOrDefault(), refusal, () => new JsonObject
        {
            ["ok"] = true,
            ["result"] = new JsonObject
            {
                ["message_id"] = Random.Shared.Next(1, 1_000_000),
                ["chat"] = new JsonObject { ["id"] = body!["chat_id"]!.DeepClone(), ["type"] = "private" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                [photo ? "caption" : "text"] = (photo ? body["caption"] : body["text"])?.DeepClone(),
            },
        });
    }

    private async Task AnswerAsync(HttpContext http, string platform, JsonNode? body, string text, string? authorization,
        (int Status, string Reason, string Error)? refusal, Func<JsonObject> success)
    {
        var recipient = RecipientOf(platform, body);
        http.Response.ContentType = "application/json";
        if (refusal is { } r)
        {
            lock (Refused)
            {
                Refused.Add(new Refusal(platform, http.Request.Path, recipient, r.Status, r.Reason, text));
            }

            http.Response.StatusCode = r.Status;
            await http.Response.WriteAsync(r.Error);
            return;
        }

        (TimeSpan Delay, int Status, string Body)? failure = null;
        lock (_failures)
        {
            if (recipient is not null && _failures.TryGetValue(recipient, out var queue) && queue.Count > 0)
            {
                failure = queue.Dequeue();
            }
        }

        var sent = new Sent(platform, http.Request.Path, authorization, body!, failure?.Status ?? 200);
        lock (Received)
        {
            Received.Add(sent);
        }

        if (failure is { Delay.Ticks: > 0 } slow)
        {
            try
            {
                await Task.Delay(slow.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // The client gave up waiting, as it should.
            }
        }

        if (failure is { Status: not 200 } f)
        {
            http.Response.StatusCode = f.Status;
            await http.Response.WriteAsync(f.Body);
            return;
        }

        lock (_answered)
        {
            _answered.Add(sent);
        }

        await http.Response.WriteAsync(success().ToJsonString());
    }

    // Over the number's window or the pair's bucket: what Meta answers. A send counts only when accepted.
    private (int Code, string Details)? RateProblem(string phoneNumberId, string recipient)
    {
        var now = DateTime.UtcNow;
        lock (_numberWindows)
        {
            if (!_numberWindows.TryGetValue(phoneNumberId, out var window))
            {
                _numberWindows[phoneNumberId] = window = new();
            }

            while (window.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromSeconds(1))
            {
                window.Dequeue();
            }

            if (window.Count >= Limits.MessagesPerSecond)
            {
                return (130429, $"more than {Limits.MessagesPerSecond} messages in one second from {phoneNumberId}");
            }

            var pair = $"{phoneNumberId}/{recipient}";
            var (tokens, at) = _pairBuckets.TryGetValue(pair, out var bucket) ? bucket : (Limits.RecipientBurst, now);
            tokens = Math.Min(Limits.RecipientBurst, tokens + (now - at) / Limits.RecipientPeriod);
            if (tokens < 1)
            {
                _pairBuckets[pair] = (tokens, now);
                return (131056, $"too many messages to {recipient}: a burst of {Limits.RecipientBurst}, then one every {Limits.RecipientPeriod.TotalSeconds} s");
            }

            _pairBuckets[pair] = (tokens - 1, now);
            window.Enqueue(now);
            return null;
        }
    }

    // With templates registered for the token, a template send must name one (name and language) and fill all its parameters.
    private (int Code, string Details)? TemplateProblem(string? token, JsonNode body)
    {
        if (StringAt(body["type"]) != "template" || token is null)
        {
            return null;
        }

        List<FakeTemplate> known;
        lock (_templates)
        {
            known = _templates.Values.Where(t => t.Token == token).SelectMany(t => t.Templates).ToList();
        }

        if (known.Count == 0)
        {
            return null;
        }

        var name = StringAt(body["template"]?["name"]);
        var language = StringAt(body["template"]?["language"]?["code"]);
        if (known.FirstOrDefault(t => t.Name == name && t.Language == language) is not { } template)
        {
            return (132001, $"template name ({name}) does not exist in {language}");
        }

        var parameters = (body["template"]?["components"] as JsonArray)?.FirstOrDefault(c => StringAt(c?["type"]) == "body")?["parameters"] as JsonArray;
        if ((parameters?.Count ?? 0) != template.Parameters)
        {
            return (132000, $"body: number of localizable_params ({parameters?.Count ?? 0}) does not match the expected number of params ({template.Parameters})");
        }

        return parameters?.Any(p => StringAt(p?["type"]) != "text" || StringAt(p?["text"]) is not { Length: > 0 and <= 1024 } text || text.Contains('\n'))
            == true ? (132000, "each body parameter is a text of 1 to 1024 characters without new lines") : null;
    }

    // GET /{version}/{wabaId}/message_templates?limit=&after=: Meta's page shape, with paging.next while more remain.
    private IResult ListTemplates(string wabaId, HttpContext http)
    {
        lock (TemplateLists)
        {
            TemplateLists.Add((wabaId, http.Request.Headers.Authorization.FirstOrDefault(), http.Request.QueryString.Value ?? ""));
        }

        (int Status, string Body)? failure = null;
        lock (_templateListFailures)
        {
            if (_templateListFailures.Count > 0)
            {
                failure = _templateListFailures.Dequeue();
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

        (string Token, List<FakeTemplate> Templates) account;
        lock (_templates)
        {
            if (!_templates.TryGetValue(wabaId, out account))
            {
                return Results.Text(MetaError(100, $"Unsupported get request. Object with ID '{wabaId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", subcode: 33),
                    "application/json", statusCode: 400);
            }
        }

        if (http.Request.Headers.Authorization.FirstOrDefault() != $"Bearer {account.Token}")
        {
            return Results.Text(MetaError(190, "Invalid OAuth access token - Cannot parse access token"), "application/json", statusCode: 401);
        }

        var limit = int.TryParse(http.Request.Query["limit"], out var l) ? Math.Clamp(l, 1, 100) : 25;
        var after = int.TryParse(http.Request.Query["after"], out var a) ? Math.Max(0, a) : 0;
        var page = account.Templates.Skip(after).Take(limit).ToList();
        var answer = new JsonObject
        {
            ["data"] = new JsonArray(page.Select((t, i) => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["language"] = t.Language,
                ["status"] = t.Status,
                ["category"] = t.Category,
                ["components"] = new JsonArray(
                    new JsonObject { ["type"] = "HEADER", ["format"] = "TEXT", ["text"] = "Aviso" },
                    new JsonObject { ["type"] = "BODY", ["text"] = t.Body }),
                ["id"] = $"{after + i + 1000}",
            }).ToArray()),
            ["paging"] = new JsonObject { ["cursors"] = new JsonObject { ["before"] = $"{after}", ["after"] = $"{after + page.Count}" } },
        };
        if (after + page.Count < account.Templates.Count)
        {
            answer["paging"]!["next"] = $"{BaseUrl}{http.Request.Path.Value!.TrimStart('/')}?limit={limit}&after={after + page.Count}";
        }

        return Results.Json(answer);
    }

    [GeneratedRegex(@"\{\{\s*[A-Za-z0-9_]+\s*\}\}")]
    private static partial Regex PlaceholderRegex();

    private static readonly HashSet<string> WhatsAppFields =
        ["messaging_product", "recipient_type", "to", "type", "text", "interactive", "template", "image", "context", "biz_opaque_callback_data"];

    // The Cloud API counts characters, not UTF-16 units.
    private static int Characters(string text) => text.EnumerateRunes().Count();

    private static string? StringAt(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    /// <summary>What Meta would refuse in a send body: (error code, details), or null when the body is valid.</summary>
    private static (int Code, string Details)? WhatsAppBodyProblem(JsonNode? body)
    {
        if (body is not JsonObject root)
        {
            return (100, "the body is not a JSON object");
        }

        if (StringAt(root["messaging_product"]) != "whatsapp")
        {
            return (131008, "messaging_product must be \"whatsapp\"");
        }

        // Read receipt, optionally with a typing indicator.
        if (root["status"] is not null)
        {
            return StringAt(root["status"]) == "read" && StringAt(root["message_id"]) is { Length: > 0 }
                && (root["typing_indicator"] is null || StringAt(root["typing_indicator"]?["type"]) == "text")
                ? null : (100, "a status update needs status \"read\" and a message_id");
        }

        if (root.Select(p => p.Key).FirstOrDefault(k => !WhatsAppFields.Contains(k)) is { } unknown)
        {
            return (100, $"unknown parameter {unknown}");
        }

        if (root["recipient_type"] is not null && StringAt(root["recipient_type"]) != "individual")
        {
            return (100, "recipient_type must be \"individual\"");
        }

        if (StringAt(root["to"]) is not { } to)
        {
            return (131008, "to is required, as a string");
        }

        if (!WaId().IsMatch(to))
        {
            return (100, $"to must be the recipient's number in digits only: {to}");
        }

        return (StringAt(root["type"]) ?? "text") switch
        {
            "text" => TextProblem(root["text"]),
            "interactive" => InteractiveProblem(root["interactive"]),
            "image" => ImageProblem(root["image"]),
            "template" => StringAt(root["template"]?["name"]) is { Length: > 0 } && StringAt(root["template"]?["language"]?["code"]) is { Length: > 0 }
                ? null : (131008, "template needs a name and language.code"),
            var other => (100, $"type {other} is not supported by this fake"),
        };
    }

    private static (int, string)? TextProblem(JsonNode? text)
    {
        if (StringAt(text?["body"]) is not { } body)
        {
            return (131008, "text.body is required");
        }

        if (text!["preview_url"] is { } preview && preview.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return (100, "text.preview_url must be a boolean");
        }

        return body.Trim().Length == 0 ? (131009, "text.body is empty")
            : Characters(body) > 4096 ? (131009, $"text.body has {Characters(body)} characters; at most 4096")
            : null;
    }

    // A media message by link: Meta fetches the URL itself, so it must be absolute http(s); a caption is at most 1024 characters.
    private static (int, string)? ImageProblem(JsonNode? image)
    {
        if (image is not JsonObject media)
        {
            return (131008, "image is required with type image");
        }

        if (media.Select(p => p.Key).FirstOrDefault(k => k is not ("link" or "id" or "caption")) is { } unknown)
        {
            return (100, $"unknown parameter image.{unknown}");
        }

        var link = StringAt(media["link"]);
        if (link is null == (StringAt(media["id"]) is null))
        {
            return (131008, "image needs exactly one of link or id");
        }

        if (link is not null && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            return (131009, $"image.link must be an absolute http(s) URL: {link}");
        }

        return StringAt(media["caption"]) is { } caption && Characters(caption) > 1024
            ? (131009, $"image.caption has {Characters(caption)} characters; at most 1024")
            : null;
    }

    private static (int, string)? InteractiveProblem(JsonNode? interactive)
    {
        var bodyText = StringAt(interactive?["body"]?["text"]);
        if (bodyText is null || bodyText.Trim().Length == 0)
        {
            return (131008, "interactive.body.text is required");
        }

        if (Characters(bodyText) > 1024)
        {
            return (131009, $"interactive.body.text has {Characters(bodyText)} characters; at most 1024");
        }

        if (interactive!["header"] is { } header && (StringAt(header["type"]) != "text" || StringAt(header["text"]) is not { } h || Characters(h) > 60))
        {
            return (131009, "interactive.header must be a text of at most 60 characters");
        }

        if (interactive["footer"] is { } footer && (StringAt(footer["text"]) is not { } f || Characters(f) > 60))
        {
            return (131009, "interactive.footer.text must be at most 60 characters");
        }

        var action = interactive["action"];
        switch (StringAt(interactive["type"]))
        {
            case "button":
                if (action?["buttons"] is not JsonArray { Count: >= 1 and <= 3 } buttons)
                {
                    return (131009, "interactive.action.buttons must hold 1 to 3 buttons");
                }

                var replies = buttons.Select(b => (Type: StringAt(b?["type"]), Id: StringAt(b?["reply"]?["id"]), Title: StringAt(b?["reply"]?["title"]))).ToList();
                if (replies.Any(b => b.Type != "reply" || b.Id is not { Length: >= 1 and <= 256 } || b.Title is null
                        || b.Title.Trim().Length == 0 || Characters(b.Title) > 20))
                {
                    return (131009, "each button needs type \"reply\", an id of 1 to 256 characters and a title of 1 to 20 characters");
                }

                return replies.Select(b => b.Id).Distinct().Count() != replies.Count ? (131009, "button ids must be unique")
                    : replies.Select(b => b.Title).Distinct().Count() != replies.Count ? (131009, "button titles must be unique")
                    : null;

            case "list":
                if (StringAt(action?["button"]) is not { } label || label.Trim().Length == 0 || Characters(label) > 20)
                {
                    return (131009, "interactive.action.button must be 1 to 20 characters");
                }

                if (action!["sections"] is not JsonArray { Count: >= 1 and <= 10 } sections)
                {
                    return (131009, "interactive.action.sections must hold 1 to 10 sections");
                }

                var rows = new List<JsonNode?>();
                foreach (var section in sections)
                {
                    if (section?["title"] is { } title ? StringAt(title) is not { } t || Characters(t) > 24 : sections.Count > 1)
                    {
                        return (131009, "a section title is at most 24 characters, and required when there are several sections");
                    }

                    if (section?["rows"] is not JsonArray { Count: >= 1 } sectionRows)
                    {
                        return (131009, "each section needs at least one row");
                    }

                    rows.AddRange(sectionRows);
                }

                if (rows.Count > 10)
                {
                    return (131009, $"a list holds at most 10 rows in total, not {rows.Count}");
                }

                foreach (var row in rows)
                {
                    if (StringAt(row?["id"]) is not { Length: >= 1 and <= 200 })
                    {
                        return (131009, "a row id is 1 to 200 characters");
                    }

                    if (StringAt(row?["title"]) is not { } rowTitle || rowTitle.Trim().Length == 0 || Characters(rowTitle) > 24)
                    {
                        return (131009, $"a row title is 1 to 24 characters: {row?["title"]}");
                    }

                    if (row?["description"] is { } description && (StringAt(description) is not { } d || Characters(d) > 72))
                    {
                        return (131009, $"a row description is at most 72 characters: {description}");
                    }
                }

                return rows.Select(r => StringAt(r?["id"])).Distinct().Count() != rows.Count ? (131009, "row ids must be unique") : null;

            case "product_list":
                return ProductListProblem(interactive);

            default:
                return (100, $"interactive.type {interactive["type"]} is not supported by this fake");
        }
    }

    /// <summary>What the Bot API would refuse in a sendPhoto body (a photo by URL or file_id, a caption ≤ 1024), or null.</summary>
    private static string? TelegramPhotoProblem(JsonNode? body)
    {
        if (body is not JsonObject root)
        {
            return "the body is not a JSON object";
        }

        if (root["chat_id"] is not JsonValue chat || (chat.GetValueKind() == JsonValueKind.String && !ChatId().IsMatch(chat.GetValue<string>())))
        {
            return "chat not found";
        }

        if (StringAt(root["photo"]) is not { Length: > 0 })
        {
            return "there is no photo in the request";
        }

        return StringAt(root["caption"]) is { Length: > 1024 } ? "message caption is too long" : null;
    }

    /// <summary>What the Bot API would refuse in a sendMessage body (its description after "Bad Request: "), or null.</summary>
    private static string? TelegramBodyProblem(JsonNode? body)
    {
        if (body is not JsonObject root)
        {
            return "the body is not a JSON object";
        }

        var chat = root["chat_id"] as JsonValue;
        var chatValid = chat?.GetValueKind() switch
        {
            JsonValueKind.Number => chat.TryGetValue<long>(out _),
            JsonValueKind.String => ChatId().IsMatch(chat.GetValue<string>()),
            _ => false,
        };
        if (!chatValid)
        {
            return "chat not found";
        }

        if (StringAt(root["text"]) is not { } text || text.Trim().Length == 0)
        {
            return "message text is empty";
        }

        if (text.Length > 4096)
        {
            return "message is too long";
        }

        if (root["parse_mode"] is { } mode && StringAt(mode) is not ("HTML" or "Markdown" or "MarkdownV2"))
        {
            return $"unsupported parse_mode: {mode}";
        }

        if (root["reply_markup"] is not { } markup)
        {
            return null;
        }

        if (markup["remove_keyboard"] is not null)
        {
            return null;
        }

        if (markup["inline_keyboard"] is not JsonArray rows || rows.Count == 0 || rows.Any(r => r is not JsonArray { Count: > 0 }))
        {
            return "can't parse inline keyboard button: InlineKeyboardMarkup must be an Array of Arrays";
        }

        foreach (var button in rows.SelectMany(r => r!.AsArray()))
        {
            if (StringAt(button?["text"]) is not { } label || label.Trim().Length == 0)
            {
                return "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
            }

            var data = StringAt(button!["callback_data"]);
            var url = StringAt(button["url"]);
            if ((data is null) == (url is null))
            {
                return "can't parse inline keyboard button: exactly one of callback_data or url is required";
            }

            if (data is not null && Encoding.UTF8.GetByteCount(data) is < 1 or > 64)
            {
                return "BUTTON_DATA_INVALID";
            }
        }

        return null;
    }

    [GeneratedRegex(@"^v\d+\.\d+$")]
    private static partial Regex GraphVersion();

    [GeneratedRegex(@"^\d{1,15}$")]
    private static partial Regex WaId();

    [GeneratedRegex(@"^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$")]
    private static partial Regex ChatId();

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
        lock (_whatsAppTokens)
        {
            owned = token is not null && _whatsAppTokens.TryGetValue(phoneNumberId, out var expected) && expected == token;
            known = token is not null && _whatsAppTokens.ContainsValue(token);
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
            ? Results.Text(MetaError(100, $"Unsupported get request. Object with ID '{phoneNumberId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation."),
                "application/json", statusCode: 400)
            : Results.Text(MetaError(190, "Invalid OAuth access token - Cannot parse access token"), "application/json", statusCode: 401);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
