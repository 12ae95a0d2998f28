using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace AgenteVendedor.Api.Tests;

/// <summary>
/// Two real silos and the Api, fake Graph and Bot APIs, short event timings: shared by the live-event
/// and channel-list tests.
/// </summary>
public sealed class LiveEventsStack : IAsyncLifetime
{
    public const string EventsPhoneNumberId = "109876543211";
    public const string ChannelsPhoneNumberId = "109876543212";
    public const string AccessToken = "EAAG-token-de-acceso-eventos";
    public const string AppSecret = "secreto-de-la-app-eventos";
    public const string VerifyToken = "token-de-verificacion-eventos";
    public const string BotToken = "777777:EVENTOS-token";
    public const int MaxStreams = 3;

    public FakeMessaging Platforms { get; private set; } = null!;

    public PostgresDatabase Database { get; private set; } = null!;

    public ProductStack Stack { get; private set; } = null!;

    public ApiClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Platforms = await FakeMessaging.StartAsync();
        Platforms.RegisterWhatsApp(EventsPhoneNumberId, AccessToken);
        Platforms.RegisterWhatsApp(ChannelsPhoneNumberId, AccessToken);
        Platforms.RegisterTelegram(BotToken);
        Database = await PostgresDatabase.CreateAsync();
        Stack = await ProductStack.StartAsync(Database, silos: 2, new Dictionary<string, string>
        {
            ["WhatsApp__GraphApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Telegram__ApiUrl"] = Platforms.BaseUrl.ToString(),
            ["Channels__DebounceMilliseconds"] = "300",
            ["ConversationEvents__HeartbeatSeconds"] = "1",
            ["ConversationEvents__RenewSeconds"] = "2",
            ["ConversationEvents__MaxStreamsPerTenant"] = MaxStreams.ToString(CultureInfo.InvariantCulture),
        });
        Anonymous = new ApiClient(Stack.CreateClient());
    }

    public Task<EventStreamReader> OpenAsync(ApiClient client) => EventStreamReader.OpenAsync(Stack.BaseAddress, client);

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (Platforms is not null)
        {
            await Platforms.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LiveEventsCollection : ICollectionFixture<LiveEventsStack>
{
    public const string Name = "eventos-en-vivo";
}

/// <summary>
/// <c>GET /conversaciones/eventos</c> as the staff panel uses it: a stream opened with the user's token
/// hears every change of the empresa's conversations, in the shape of <c>GET /conversaciones</c>, and
/// nothing of any other empresa.
/// </summary>
[Collection(LiveEventsCollection.Name)]
public sealed class ConversationEventsTests(LiveEventsStack live)
{
    private const string Event = "conversacion";

    private static string IdOf(JsonNode e) => e["id"]!.GetValue<string>();

    private static string? LastMessageOf(JsonNode e) => e["ultimo_mensaje"]?.GetValue<string>();

    private static string StateOf(JsonNode e) => e["estado"]!.GetValue<string>();

    [Fact]
    public async Task Without_a_valid_token_the_stream_answers_401()
    {
        await using var anonymous = await EventStreamReader.OpenAsync(live.Stack.BaseAddress, token: null);
        await using var forged = await EventStreamReader.OpenAsync(live.Stack.BaseAddress, token: "no.es.un-token");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal("application/problem+json", anonymous.Response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_stream_and_its_refusal()
    {
        var document = (await live.Anonymous.GetAsync("/openapi/v1.json")).Json;
        var responses = document["paths"]!["/conversaciones/eventos"]!["get"]!["responses"]!;

        Assert.NotNull(responses["200"]!["content"]!["text/event-stream"]!["schema"]);
        Assert.NotNull(responses["429"]!["content"]!["application/problem+json"]);
    }

    [Fact]
    public async Task A_chat_turn_reaches_the_stream_of_its_empresa_as_the_conversation_list_shows_it()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        await using var stream = await live.OpenAsync(tenant.Admin);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.True(stream.Response.Headers.CacheControl?.NoCache);

        var chat = await tenant.Admin.PostAsync("/chat", new { mensaje = "hola, ¿qué venden?" });
        Assert.Equal(HttpStatusCode.OK, chat.Status);
        var id = chat.Json["conversacion_id"]!.GetValue<string>();
        var reply = chat.Json["respuesta"]!.GetValue<string>();

        var answered = await stream.WaitForAsync(Event, e => IdOf(e) == id && LastMessageOf(e) == reply);
        // The customer's message was an event of its own, before the agent's answer.
        Assert.Contains(stream.Events(Event), e => IdOf(e) == id && LastMessageOf(e) == "hola, ¿qué venden?");
        Assert.Equal("api", answered["canal"]!.GetValue<string>());
        Assert.Equal("agente", StateOf(answered));
        // Field for field what GET /conversaciones lists for it now.
        var listed = (await tenant.Admin.GetAsync("/conversaciones")).Json["items"]!.AsArray().Single(c => IdOf(c!) == id)!;
        Assert.True(JsonNode.DeepEquals(listed, answered), $"event {answered.ToJsonString()} vs list {listed.ToJsonString()}");
    }

    [Fact]
    public async Task Another_empresas_stream_hears_nothing_of_it()
    {
        var first = await live.Anonymous.RegisterAsync("Ferretería Primera");
        var second = await live.Anonymous.RegisterAsync("Ferretería Segunda");
        await using var firstStream = await live.OpenAsync(first.Admin);
        await using var secondStream = await live.OpenAsync(second.Admin);

        var firstChat = await first.Admin.PostAsync("/chat", new { mensaje = "busco un martillo" });
        var firstId = firstChat.Json["conversacion_id"]!.GetValue<string>();
        await firstStream.WaitForAsync(Event, e => IdOf(e) == firstId && LastMessageOf(e) == firstChat.Json["respuesta"]!.GetValue<string>());

        // The second empresa's own change is the sentinel: the first's events, sent before it, would have come first.
        var secondChat = await second.Admin.PostAsync("/chat", new { mensaje = "buenas tardes" });
        var secondId = secondChat.Json["conversacion_id"]!.GetValue<string>();
        await secondStream.WaitForAsync(Event, e => IdOf(e) == secondId && LastMessageOf(e) == secondChat.Json["respuesta"]!.GetValue<string>());

        Assert.All(secondStream.Events(Event), e => Assert.Equal(secondId, IdOf(e)));
        Assert.DoesNotContain(firstStream.Events(Event), e => IdOf(e) == secondId);
    }

    [Fact]
    public async Task Taking_over_answering_and_giving_back_a_chat_are_events_an_observer_hears()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        var (observer, _, _) = await live.Anonymous.AddUserAsync(tenant, "observador");
        var (seller, _, _) = await live.Anonymous.AddUserAsync(tenant, "vendedor");
        var chat = await tenant.Admin.PostAsync("/chat", new { mensaje = "quiero hablar con alguien" });
        var id = chat.Json["conversacion_id"]!.GetValue<string>();
        await using var stream = await live.OpenAsync(observer);
        Assert.Equal(HttpStatusCode.OK, stream.Status);

        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/conversaciones/{id}/tomar", null)).Status);
        var taken = await stream.WaitForAsync(Event, e => IdOf(e) == id && StateOf(e) == "humano");
        Assert.Equal(chat.Json["respuesta"]!.GetValue<string>(), LastMessageOf(taken));

        const string Human = "Hola, soy Ana de la ferretería. ¿En qué te ayudo?";
        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/conversaciones/{id}/mensajes", new { texto = Human })).Status);
        var answered = await stream.WaitForAsync(Event, e => IdOf(e) == id && LastMessageOf(e) == Human);
        Assert.Equal("humano", StateOf(answered));

        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/conversaciones/{id}/liberar", null)).Status);
        var released = await stream.WaitForAsync(Event, e => IdOf(e) == id && StateOf(e) == "agente" && LastMessageOf(e) == Human);
        Assert.True(DateTime.Parse(released["actualizado_en"]!.GetValue<string>(), CultureInfo.InvariantCulture)
            >= DateTime.Parse(answered["actualizado_en"]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_signed_whatsapp_message_and_its_answer_reach_the_stream()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        var configured = await tenant.Admin.PutAsync("/canales/whatsapp", new
        {
            phone_number_id = LiveEventsStack.EventsPhoneNumberId, access_token = LiveEventsStack.AccessToken,
            app_secret = LiveEventsStack.AppSecret, verify_token = LiveEventsStack.VerifyToken,
        });
        Assert.Equal(HttpStatusCode.OK, configured.Status);
        await using var stream = await live.OpenAsync(tenant.Admin);
        var customer = "57300" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);

        var body = MetaWebhook.TextMessage(LiveEventsStack.EventsPhoneNumberId, customer, $"wamid.{Guid.NewGuid():N}", "¿tienen martillo?", name: "Lucía Gómez");
        using var delivery = new HttpRequestMessage(HttpMethod.Post, "/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        delivery.Content.Headers.ContentType = new("application/json");
        delivery.Headers.Add("X-Hub-Signature-256", MetaWebhook.Sign(body, LiveEventsStack.AppSecret));
        using (var delivered = await live.Anonymous.Http.SendAsync(delivery))
        {
            Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        }

        var received = await stream.WaitForAsync(Event, e => e["cliente"]?["telefono"]?.GetValue<string>() == "+" + customer
            && LastMessageOf(e) == "¿tienen martillo?");
        Assert.Equal("whatsapp", received["canal"]!.GetValue<string>());
        Assert.Equal("Lucía Gómez", received["cliente"]!["nombre"]!.GetValue<string>());
        // The agent's answer, the very text the customer got on WhatsApp, is a change of its own.
        var sent = Assert.Single(await live.Platforms.WaitForAsync(customer, 1));
        var text = sent.Body["text"]?["body"]?.GetValue<string>() ?? sent.Body["interactive"]!["body"]!["text"]!.GetValue<string>();
        await stream.WaitForAsync(Event, e => IdOf(e) == IdOf(received) && LastMessageOf(e) == text);
    }

    [Fact]
    public async Task A_quiet_stream_says_it_is_connected_and_then_pings()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        await using var stream = await live.OpenAsync(tenant.Admin);

        Assert.Equal("conectado", (await stream.NextAsync(TimeSpan.FromSeconds(10)))?.Comment);
        // The stack pings every second (ConversationEvents:HeartbeatSeconds); 15 s by default.
        Assert.Equal("ping", (await stream.NextAsync(TimeSpan.FromSeconds(10)))?.Comment);
        Assert.Equal("ping", (await stream.NextAsync(TimeSpan.FromSeconds(10)))?.Comment);
    }

    [Fact]
    public async Task Streams_per_empresa_are_bounded_and_a_closed_one_frees_its_place()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        var streams = new List<EventStreamReader>();
        try
        {
            for (var i = 0; i < LiveEventsStack.MaxStreams; i++)
            {
                streams.Add(await live.OpenAsync(tenant.Admin));
            }

            Assert.All(streams, s => Assert.Equal(HttpStatusCode.OK, s.Status));
            await using (var refused = await live.OpenAsync(tenant.Admin))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
                Assert.Equal("application/problem+json", refused.Response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(refused.Response.Headers.RetryAfter);
                var problem = JsonNode.Parse(await refused.ReadBodyAsync())!;
                Assert.Contains("conexiones de eventos", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }

            // The bound is per empresa.
            var other = await live.Anonymous.RegisterAsync();
            await using (var elsewhere = await live.OpenAsync(other.Admin))
            {
                Assert.Equal(HttpStatusCode.OK, elsewhere.Status);
            }

            // A client that goes away gives its place back (the Api notices the closed connection).
            await streams[0].DisposeAsync();
            streams.RemoveAt(0);
            EventStreamReader? reopened = null;
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (reopened is null)
            {
                var attempt = await live.OpenAsync(tenant.Admin);
                if (attempt.Status == HttpStatusCode.OK)
                {
                    reopened = attempt;
                    break;
                }

                await attempt.DisposeAsync();
                Assert.True(DateTime.UtcNow < deadline, "a closed stream never gave its place back");
                await Task.Delay(200);
            }

            streams.Add(reopened);

            // Every open stream hears the same change.
            var chat = await tenant.Admin.PostAsync("/chat", new { mensaje = "hola" });
            var id = chat.Json["conversacion_id"]!.GetValue<string>();
            var reply = chat.Json["respuesta"]!.GetValue<string>();
            foreach (var stream in streams)
            {
                await stream.WaitForAsync(Event, e => IdOf(e) == id && LastMessageOf(e) == reply);
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_stream_of_a_user_who_is_deactivated_ends()
    {
        var tenant = await live.Anonymous.RegisterAsync();
        var (observer, observerId, _) = await live.Anonymous.AddUserAsync(tenant, "observador");
        await using var stream = await live.OpenAsync(observer);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        Assert.Equal("conectado", (await stream.NextAsync(TimeSpan.FromSeconds(10)))?.Comment);

        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.PatchAsync($"/usuarios/{observerId}", new { activo = false })).Status);

        // Pings may still come until the next check; then the server closes the stream.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        EventStreamReader.Item? item;
        do
        {
            item = await stream.NextAsync(TimeSpan.FromSeconds(10));
            Assert.True(DateTime.UtcNow < deadline, "the stream of a deactivated user stayed open");
        }
        while (item is not null);

        await using var again = await live.OpenAsync(observer);
        Assert.Equal(HttpStatusCode.Unauthorized, again.Status);
    }
}

/// <summary>
/// Events between silos: the conversation and its empresa's events grain on different silos, and the
/// silo holding the events grain killed under an open stream.
/// </summary>
public sealed class ConversationEventsFailoverTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private IHost _observer = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 2, new Dictionary<string, string>(ProductStack.FastFailover)
        {
            ["ConversationEvents__RenewSeconds"] = "2",
        });
        // A client of the cluster of our own, only to ask the management grain where activations live.
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_database.Name, _database.Name));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", _database.ConnectionString));
        });
        _observer = builder.Build();
        await _observer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _observer.StopAsync();
        _observer.Dispose();
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>The silo port of each activation of the grain class, by grain key.</summary>
    private async Task<Dictionary<string, int>> HostsAsync(string grainClass)
    {
        var statistics = await _observer.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains(grainClass, StringComparison.Ordinal))
            .GroupBy(s => s.GrainId.Key.ToString()!)
            .ToDictionary(g => g.Key, g => g.First().SiloAddress.Endpoint.Port);
    }

    private static bool IsEventOf(JsonNode e, string id, string text) =>
        e["id"]!.GetValue<string>() == id && e["ultimo_mensaje"]?.GetValue<string>() == text;

    [Fact]
    public async Task Events_cross_silos_and_survive_the_loss_of_the_silo_that_held_them()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        await using var stream = await EventStreamReader.OpenAsync(_stack.BaseAddress, tenant.Admin);
        Assert.Equal(HttpStatusCode.OK, stream.Status);
        var eventsHost = (await HostsAsync(".ConversationEventsGrain")).Single(h => h.Key.Contains(tenant.EmpresaId.ToString("N"), StringComparison.Ordinal)
            || h.Key.Contains(tenant.EmpresaId.ToString(), StringComparison.Ordinal)).Value;

        // New chats until one lives on the other silo (placement looks at the silos' load, so it changes over time);
        // each one's changes reach the stream wherever it lives.
        string? crossed = null;
        var hosts = new List<int>();
        for (var i = 0; i < 40 && crossed is null; i++)
        {
            var chat = await tenant.Admin.PostAsync("/chat", new { mensaje = $"hola {i}" });
            var id = chat.Json["conversacion_id"]!.GetValue<string>();
            await stream.WaitForAsync("conversacion", e => IsEventOf(e, id, chat.Json["respuesta"]!.GetValue<string>()));
            var host = (await HostsAsync(".ConversationGrain")).Single(h => h.Key.Contains(Guid.Parse(id).ToString("N"), StringComparison.Ordinal)).Value;
            hosts.Add(host);
            if (host != eventsHost)
            {
                crossed = id;
            }
            else
            {
                await Task.Delay(300);
            }
        }

        Assert.True(crossed is not null, $"no chat was placed away from the events grain's silo {eventsHost}: {string.Join(", ", hosts)}");

        // Kill the silo that holds the events grain: it starts again, empty, on the survivor (where the chat
        // lives), and the Api's next renewal subscribes its observer there.
        _stack.Silos.Single(s => _stack.SiloPortOf(s) == eventsHost).Kill();
        await _stack.WaitUntilReadyAsync(activeSilos: 1, TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow.AddSeconds(45);
        for (var attempt = 1; ; attempt++)
        {
            var chat = await ApiClient.RetryWhileUnavailableAsync(() => tenant.Admin.PostAsync("/chat",
                new { mensaje = $"sigo aquí {attempt}", conversacion_id = crossed }));
            Assert.Equal(HttpStatusCode.OK, chat.Status);
            try
            {
                await stream.WaitForAsync("conversacion", e => IsEventOf(e, crossed, $"sigo aquí {attempt}"), TimeSpan.FromSeconds(3));
                break;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Not subscribed again yet: the renewal runs every 2 s here.
            }
        }
    }
}
