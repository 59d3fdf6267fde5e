package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientStateTest {
    private static final String A = "aaaaaaaa-0000-4000-8000-000000000001";
    private static final String B = "aaaaaaaa-0000-4000-8000-000000000002";
    private final CommitLog log = new CommitLog();
    private final LatencyRecorder latencies = new LatencyRecorder();
    private final ClientState state = new ClientState(log, latencies);

    private static JsonObject json(String text) {
        return Jsons.parse(text.replace('\'', '"'));
    }

    private void subscribed() {
        state.expect("1", ViewSpec.taskList(2));
        state.applySnapshot("1", json("{'reply_to':'1','type':'snapshot','params_hash':'h','version':1,"
                + "'refs':[{'table':'tasks','id':'" + A + "'},{'table':'tasks','id':'" + B + "'}],"
                + "'tables':{'tasks':{'" + A + "':{'id':'" + A + "','title':'init','done':false,'position':0},"
                + "'" + B + "':{'id':'" + B + "','title':'init','done':false,'position':1}}}}"), 0);
    }

    private static JsonObject titlePatch(String id, long ver, String title) {
        return json("{'type':'table_diff','data':{'table':'tasks','id':'" + id + "','ver':" + ver
                + ",'patch':[{'op':'replace','path':'/title','value':'" + title + "'}]}}");
    }

    private static java.util.function.Function<String, List<TaskRow>> truth(String titleOfA, String titleOfB,
                                                                             boolean swapped) {
        TaskRow a = new TaskRow(A, titleOfA, false, swapped ? 5 : 0);
        TaskRow b = new TaskRow(B, titleOfB, false, 1);
        return Map.of("limit:2", swapped ? List.of(b, a) : List.of(a, b))::get;
    }

    @Test
    void appliedRowPatchesAndRefsPatchesEqualTheTruth() {
        subscribed();
        long seq = log.next(A, 1_000);
        state.applyPush(titlePatch(A, 2, CommitLog.title(seq)), 3_000_000);
        state.applyPush(json("{'type':'table_diff','data':{'table':'tasks','id':'" + A + "','ver':3,"
                + "'patch':[{'op':'replace','path':'/position','value':5}]}}"), 3_000_000);
        state.applyPush(json("{'type':'view_diff','data':{'view':'task_list','params_hash':'h','version':2,"
                + "'refs_patch':[{'op':'move','from':'/0','path':'/1'}],'tables':{}}}"), 3_000_000);

        assertThat(state.differences(truth(CommitLog.title(seq), "init", true))).isEmpty();
        assertThat(state.duplicates()).isZero();
        assertThat(state.gaps()).isZero();
        assertThat(latencies.sorted()).as("commit at 1 µs, frame at 3 ms").containsExactly(2_999);
        assertThat(state.uncredited(List.of(A, B))).isZero();
    }

    @Test
    void aLostPatchShowsAsADifferenceAndAnUncreditedCommit() {
        subscribed();
        log.next(A, 1_000);

        assertThat(state.differences(truth("L1", "init", false))).singleElement().asString()
                .startsWith("row " + A);
        assertThat(state.uncredited(List.of(A, B))).isEqualTo(1);
    }

    @Test
    void aRepeatedRowVersionIsADuplicateAndAJumpIsAGap() {
        subscribed();
        state.applyPush(titlePatch(A, 2, "x"), 0);
        state.applyPush(titlePatch(A, 2, "x"), 0);
        state.applyPush(titlePatch(A, 4, "y"), 0);

        assertThat(state.duplicates()).isEqualTo(1);
        assertThat(state.gaps()).isEqualTo(1);
    }

    @Test
    void aLaterValueCreditsEveryEarlierCommitOfItsRowOnce() {
        subscribed();
        log.next(A, 1_000_000);
        long second = log.next(A, 2_000_000);
        state.applyPush(titlePatch(A, 2, CommitLog.title(second)), 5_000_000);
        state.applyPush(titlePatch(A, 3, CommitLog.title(second)), 6_000_000);

        assertThat(latencies.sorted()).containsExactly(3_000, 4_000);
    }

    @Test
    void aSyncRequestNamesEveryViewAndItsCatchUpBringsTheViewAndItsRowsUpToDate() {
        subscribed();
        state.applyPush(titlePatch(A, 2, "seen"), 0);

        JsonObject request = state.syncRequest("9");
        assertThat(request.getString("type")).isEqualTo("sync");
        assertThat(request.getJsonArray("views").getJsonObject(0)).isEqualTo(json("{'view':'task_list',"
                + "'params_hash':'h','version':1,'params':{'limit':2}}"));

        long seq = log.next(A, 1_000);
        state.applySync(json("{'reply_to':'9','type':'sync_result','views':[{'view':'task_list','params_hash':'h',"
                + "'mode':'catch_up','version':3,'patches':[{'version':2,'refs_patch':[{'op':'move','from':'/0',"
                + "'path':'/1'}]},{'version':3,'refs_patch':[]}],'tables':{'tasks':{'" + A + "':{'id':'" + A
                + "','title':'" + CommitLog.title(seq) + "','done':false,'position':5},'" + B + "':{'id':'" + B
                + "','title':'init','done':false,'position':1}}}}]}"), 2_000_000);

        assertThat(state.differences(truth(CommitLog.title(seq), "init", true))).isEmpty();
        assertThat(state.uncredited(List.of(A, B))).as("the missed commit arrived with the sync").isZero();
        state.applyPush(json("{'type':'view_diff','data':{'view':'task_list','params_hash':'h','version':3,"
                + "'refs_patch':[],'tables':{}}}"), 0);
        state.applyPush(titlePatch(A, 7, "later"), 0);
        assertThat(state.duplicates()).as("a push that raced the sync reply is stale, not a duplicate").isZero();
        assertThat(state.gaps()).as("the row's versions restart from the sync").isZero();
        assertThat(state.syncErrors()).isZero();
    }

    @Test
    void afterADropPushesWaitForTheSyncReplyInsteadOfPatchingAStaleView() {
        subscribed();
        state.dropped();
        state.applyPush(json("{'type':'view_diff','data':{'view':'task_list','params_hash':'h','version':4,"
                + "'refs_patch':[{'op':'remove','path':'/0'}],'tables':{}}}"), 0); // 2 and 3 were missed

        assertThat(state.syncRequest("2").getJsonArray("views").getJsonObject(0).getInt("version"))
                .as("the sync asks from the last version applied").isEqualTo(1);
        assertThat(state.gaps()).isZero();
        state.applySync(json("{'type':'sync_result','views':[{'view':'task_list','params_hash':'h','mode':'snapshot',"
                + "'version':4,'refs':[{'table':'tasks','id':'" + A + "'},{'table':'tasks','id':'" + B + "'}],"
                + "'tables':{}}]}"), 0);
        assertThat(state.differences(truth("init", "init", false))).isEmpty();
    }

    @Test
    void aStaleViewVersionIsADuplicate() {
        subscribed();
        state.applyPush(json("{'type':'view_diff','data':{'view':'task_list','params_hash':'h','version':1,"
                + "'refs_patch':[],'tables':{}}}"), 0);

        assertThat(state.duplicates()).isEqualTo(1);
    }
}
