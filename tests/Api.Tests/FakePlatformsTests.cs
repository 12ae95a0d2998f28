using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// The fakes of the platforms refuse what the platforms refuse: without that, a product that sends the
/// wrong token or a body over the limits would pass every channel test.
/// </summary>
public sealed class FakePlatformsTests : IAsyncLifetime
{
    private const string PhoneNumberId = "100200300400";
    private const string Token = "EAAG-valido";
    private const string BotToken = "999:bot-valido";

    private FakeMessaging _platforms = null!;
    private FakeOpenAI _openAI = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _platforms = await FakeMessaging.StartAsync();
        _platforms.RegisterWhatsApp(PhoneNumberId, Token);
        _platforms.RegisterTelegram(BotToken);
        _openAI = await FakeOpenAI.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _platforms.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode? Json)> SendWhatsAppAsync(JsonObject body, string? token = Token, string phoneNumberId = PhoneNumberId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_platforms.BaseUrl, $"v21.0/{phoneNumberId}/messages")) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
    }

    private static JsonObject Text(string to, string text) => new()
    {
        ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual", ["to"] = to, ["type"] = "text",
        ["text"] = new JsonObject { ["body"] = text },
    };

    private static JsonObject Buttons(params (string Id, string Title)[] buttons) => new()
    {
        ["messaging_product"] = "whatsapp", ["to"] = "573001234567", ["type"] = "interactive",
        ["interactive"] = new JsonObject
        {
            ["type"] = "button",
            ["body"] = new JsonObject { ["text"] = "¿Confirmas?" },
            ["action"] = new JsonObject
            {
                ["buttons"] = new JsonArray(buttons.Select(b => (JsonNode)new JsonObject
                {
                    ["type"] = "reply", ["reply"] = new JsonObject { ["id"] = b.Id, ["title"] = b.Title },
                }).ToArray()),
            },
        },
    };

    private static JsonObject List(int rows, int titleLength = 10, bool duplicateIds = false) => new()
    {
        ["messaging_product"] = "whatsapp", ["to"] = "573001234567", ["type"] = "interactive",
        ["interactive"] = new JsonObject
        {
            ["type"] = "list",
            ["body"] = new JsonObject { ["text"] = "Opciones" },
            ["action"] = new JsonObject
            {
                ["button"] = "Ver productos",
                ["sections"] = new JsonArray(new JsonObject
                {
                    ["title"] = "Productos",
                    ["rows"] = new JsonArray(Enumerable.Range(0, rows).Select(i => (JsonNode)new JsonObject
                    {
                        ["id"] = duplicateIds ? "p:1" : $"p:{i}", ["title"] = new string('a', titleLength),
                    }).ToArray()),
                }),
            },
        },
    };

    [Fact]
    public async Task The_graph_api_fake_needs_the_numbers_own_token_and_a_known_number()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendWhatsAppAsync(Text("573001234567", "hola"))).Status);

        var missing = await SendWhatsAppAsync(Text("573001234567", "hola"), token: null);
        var wrong = await SendWhatsAppAsync(Text("573001234567", "hola"), token: "EAAG-otro");
        var unknownNumber = await SendWhatsAppAsync(Text("573001234567", "hola"), phoneNumberId: "999");

        Assert.Equal((HttpStatusCode.Unauthorized, 190), (missing.Status, missing.Json!["error"]!["code"]!.GetValue<int>()));
        Assert.Equal((HttpStatusCode.Unauthorized, 190), (wrong.Status, wrong.Json!["error"]!["code"]!.GetValue<int>()));
        Assert.Equal((HttpStatusCode.BadRequest, 100, 33), (unknownNumber.Status, unknownNumber.Json!["error"]!["code"]!.GetValue<int>(),
            unknownNumber.Json["error"]!["error_subcode"]!.GetValue<int>()));
        Assert.Single(_platforms.To("573001234567"));
    }

    [Fact]
    public async Task The_graph_api_fake_refuses_bodies_outside_the_documented_limits()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendWhatsAppAsync(Text("573001234567", new string('x', 4096)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendWhatsAppAsync(Buttons(("si", "Sí, confirmar"), ("no", "No")))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendWhatsAppAsync(List(10, titleLength: 24))).Status);

        JsonObject[] refused =
        [
            Text("573001234567", new string('x', 4097)),
            Text("573001234567", "   "),
            Text("+57 300 123 4567", "hola"),
            Buttons(("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")),
            Buttons(("a", new string('t', 21))),
            Buttons(("a", "Uno"), ("a", "Dos")),
            List(11),
            List(3, titleLength: 25),
            List(3, duplicateIds: true),
            new JsonObject { ["to"] = "573001234567", ["type"] = "text", ["text"] = new JsonObject { ["body"] = "sin messaging_product" } },
            new JsonObject { ["messaging_product"] = "whatsapp", ["to"] = "573001234567", ["type"] = "text", ["texto"] = "campo inventado" },
        ];
        var longBody = Buttons(("si", "Sí"));
        longBody["interactive"]!["body"]!["text"] = new string('x', 1025);
        foreach (var body in refused.Append(longBody))
        {
            var (status, json) = await SendWhatsAppAsync(body);
            Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} for {body.ToJsonString()[..Math.Min(200, body.ToJsonString().Length)]}");
            Assert.Equal("OAuthException", json!["error"]!["type"]!.GetValue<string>());
            Assert.NotNull(json["error"]!["fbtrace_id"]);
        }
    }

    [Fact]
    public async Task The_bot_api_fake_needs_a_known_token_and_checks_text_and_callback_data()
    {
        async Task<(HttpStatusCode, JsonNode?)> SendAsync(string token, JsonObject body)
        {
            using var response = await _http.PostAsJsonAsync(new Uri(_platforms.BaseUrl, $"./bot{token}/sendMessage"), body);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }

        JsonObject Message(string text, string? callbackData = null) => callbackData is null
            ? new JsonObject { ["chat_id"] = "4242", ["text"] = text }
            : new JsonObject
            {
                ["chat_id"] = 4242, ["text"] = text,
                ["reply_markup"] = new JsonObject { ["inline_keyboard"] = new JsonArray(new JsonArray(new JsonObject { ["text"] = "Sí", ["callback_data"] = callbackData })) },
            };

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(BotToken, Message("hola", "si"))).Item1);
        var unauthorized = await SendAsync("999:otro", Message("hola"));
        Assert.Equal((HttpStatusCode.Unauthorized, false, 401), (unauthorized.Item1, unauthorized.Item2!["ok"]!.GetValue<bool>(), unauthorized.Item2["error_code"]!.GetValue<int>()));
        foreach (var body in new[] { Message(""), Message(new string('x', 4097)), Message("hola", new string('é', 33)), new JsonObject { ["text"] = "sin chat" } })
        {
            var (status, json) = await SendAsync(BotToken, body);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.StartsWith("Bad Request: ", json!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Single(_platforms.To("4242"));
    }

    [Fact]
    public async Task Failures_are_injected_per_recipient()
    {
        _platforms.FailNext("573009999999", 500, FakeMessaging.MetaError(2, "temporal"));

        Assert.Equal(HttpStatusCode.OK, (await SendWhatsAppAsync(Text("573008888888", "otro cliente"))).Status);
        Assert.Equal(HttpStatusCode.InternalServerError, (await SendWhatsAppAsync(Text("573009999999", "hola"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendWhatsAppAsync(Text("573009999999", "hola"))).Status);
    }

    [Fact]
    public async Task The_openai_fake_checks_the_key_and_that_every_tool_call_is_answered()
    {
        async Task<(HttpStatusCode Status, JsonNode? Json)> ChatAsync(JsonArray messages, string key = FakeOpenAI.DefaultApiKey)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{_openAI.BaseUrl}/chat/completions")
            {
                Content = JsonContent.Create(new JsonObject { ["model"] = "gpt-4o-mini", ["messages"] = messages }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await _http.SendAsync(request);
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));
        }

        JsonObject User(string text) => new() { ["role"] = "user", ["content"] = text };
        JsonObject Calls(params string[] ids) => new()
        {
            ["role"] = "assistant",
            ["tool_calls"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = "ver_carrito", ["arguments"] = "{}" },
            }).ToArray()),
        };
        JsonObject Result(string id) => new() { ["role"] = "tool", ["tool_call_id"] = id, ["content"] = "{}" };

        Assert.Equal(HttpStatusCode.OK, (await ChatAsync([User("hola")])).Status);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync([User("hola"), Calls("call_a", "call_b"), Result("call_a"), Result("call_b")])).Status);

        var wrongKey = await ChatAsync([User("hola")], key: "sk-otra");
        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_api_key"), (wrongKey.Status, wrongKey.Json!["error"]!["code"]!.GetValue<string>()));
        var unknownCall = await ChatAsync([User("hola"), Calls("call_a"), Result("call_a"), Result("call_z")]);
        var unanswered = await ChatAsync([User("hola"), Calls("call_a", "call_b"), Result("call_a")]);
        var orphan = await ChatAsync([User("hola"), Result("call_a")]);
        Assert.All(new[] { unknownCall, unanswered, orphan }, r => Assert.Equal((HttpStatusCode.BadRequest, "invalid_request_error"),
            (r.Status, r.Json!["error"]!["type"]!.GetValue<string>())));
        Assert.Contains("call_b", unanswered.Json!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        _openAI.FailNextChats(429, times: 1);
        _openAI.FailNextChats(503, times: 1);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync([User("hola")])).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await ChatAsync([User("hola")])).Status);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync([User("hola")])).Status);
    }
}
