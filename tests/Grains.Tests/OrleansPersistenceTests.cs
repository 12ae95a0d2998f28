using AgenteVendedor.Database;
using Dapper;
using Orleans.Storage;

namespace AgenteVendedor.Grains.Tests;

// Probes for the project's own ADO.NET scripts (sql/0003, sql/0004): grain state and reminders
// through the real Orleans providers on PostgreSQL.

public interface IStateProbeGrain : IGrainWithGuidKey
{
    Task SaveAsync(string value);

    Task<string?> ReadAsync();

    Task ClearAsync();
}

[GenerateSerializer, Alias("test.ProbeState")]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

public sealed class StateProbeGrain([PersistentState("probe", StorageNames.Default)] IPersistentState<ProbeState> state)
    : Grain, IStateProbeGrain
{
    public Task SaveAsync(string value)
    {
        state.State.Value = value;
        return state.WriteStateAsync();
    }

    public Task<string?> ReadAsync() => Task.FromResult(state.State.Value);

    public Task ClearAsync() => state.ClearStateAsync();
}

public interface IReminderProbeGrain : IGrainWithGuidKey
{
    Task StartAsync();

    Task<int> TicksAsync();

    Task StopAsync();
}

public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    private int _ticks;

    public Task StartAsync() => this.RegisterOrUpdateReminder("probe", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));

    public Task<int> TicksAsync() => Task.FromResult(_ticks);

    public async Task StopAsync()
    {
        if (await this.GetReminder("probe") is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        _ticks++;
        return Task.CompletedTask;
    }
}

[Collection(ClusterCollection.Name)]
public sealed class OrleansPersistenceTests(ClusterFixture fixture)
{
    private readonly IGrainFactory _grains = fixture.Grains;

    [Fact]
    public async Task Grain_state_survives_deactivation_and_clearing_empties_it()
    {
        var id = Guid.NewGuid();
        await _grains.GetGrain<IStateProbeGrain>(id).SaveAsync("primero");
        await _grains.GetGrain<IStateProbeGrain>(id).SaveAsync("segundo");
        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal("segundo", await _grains.GetGrain<IStateProbeGrain>(id).ReadAsync());

        await _grains.GetGrain<IStateProbeGrain>(id).ClearAsync();
        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Null(await _grains.GetGrain<IStateProbeGrain>(id).ReadAsync());
        await _grains.GetGrain<IStateProbeGrain>(id).SaveAsync("tercero");
        Assert.Equal("tercero", await _grains.GetGrain<IStateProbeGrain>(id).ReadAsync());
    }

    [Fact]
    public async Task A_write_based_on_a_stale_version_is_refused()
    {
        var id = Guid.NewGuid();
        await _grains.GetGrain<IStateProbeGrain>(id).SaveAsync("original");
        await using (var connection = await fixture.Database.OpenAsync())
        {
            // Another writer (say, a duplicate activation during a partition) got there first.
            var changed = await connection.ExecuteAsync(
                "UPDATE orleans_grain_state SET version = version + 1 WHERE grain_id_n1 = @N1 OR grain_id_n0 = @N0",
                new { N0 = BitConverter.ToInt64(id.ToByteArray(), 0), N1 = BitConverter.ToInt64(id.ToByteArray(), 8) });
            Assert.Equal(1, changed);
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => _grains.GetGrain<IStateProbeGrain>(id).SaveAsync("pisado"));
    }

    [Fact]
    public async Task Reminders_are_stored_fire_and_are_removed()
    {
        var id = Guid.NewGuid();
        var probe = _grains.GetGrain<IReminderProbeGrain>(id);
        await probe.StartAsync();
        await using var connection = await fixture.Database.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE reminder_name = 'probe' AND grain_id LIKE @Id", new { Id = $"%{id:N}%" }));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await probe.TicksAsync() < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(await probe.TicksAsync() >= 2, "the reminder did not fire twice within 30 s");
        await probe.StopAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM orleans_reminders WHERE grain_id LIKE @Id", new { Id = $"%{id:N}%" }));
    }
}
