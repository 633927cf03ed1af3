package dev.lifvision.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A field-capture folder as the node's {@code FieldRecorder} writes it ({@code DIR/LABEL/NAME.png}
 * plus {@code DIR/index.jsonl}), and the labelling decisions made on it.
 *
 * <p>The file system is the truth: a capture's label is the class folder it is in. Relabelling
 * moves the file into another class folder, rejecting moves it into {@value #IGNORED}; nothing is
 * ever deleted or overwritten (a name taken in the target folder gets "-1", "-2"...). Every
 * decision is appended to {@code DIR/labels.jsonl} (after the move, so a crash in between leaves a
 * file that simply counts as moved by hand), which makes the review auditable, lets a later session
 * continue where the last one stopped, and lets {@link #undo()} put the last decision back.
 *
 * <p>A capture is <em>labelled</em> when it has an effective (not undone) decision, or when it is no
 * longer in the folder of its predicted label (moved by hand, with a file manager or {@code mv}).
 * Index lines whose file is gone (the node's disk quota) are skipped, as are lines that do not parse.
 */
public final class Captures {
    /** Folder of rejected captures; never used for training. */
    public static final String IGNORED = "_ignored";
    /** Decision log in the capture folder. */
    public static final String LABELS = "labels.jsonl";
    public static final String INDEX = "index.jsonl";
    /** The node's folder of frames below its thresholds. */
    public static final String UNKNOWN = "unknown";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One capture of the index. {@code id} is its path in the index ("7/NAME.png"), which never changes. */
    public record Entry(String id, String name, String predicted, double score, String camera, long frame,
                        List<String> top) {
        String predictedFolder() {
            int slash = id.indexOf('/');
            return slash < 0 ? "" : id.substring(0, slash);
        }
    }

    /** One line of labels.jsonl. */
    public record Decision(int seq, String action, String id, String from, String to, String label, Integer undoes) {
    }

    public enum State { PENDING, DECIDED, MOVED_BY_HAND, MISSING }

    private final Path dir;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byId = new HashMap<>();
    /** File name -> path relative to dir (class folders, _ignored and unknown). */
    private final Map<String, String> byName = new HashMap<>();
    /** Effective labeller decisions in order (undo takes the last). */
    private final List<Decision> effective = new ArrayList<>();
    private final Map<String, Decision> decidedById = new HashMap<>();
    private final TreeSet<String> knownLabels = new TreeSet<>();
    private int nextSeq = 1;
    private int skippedLines;

    private Captures(Path dir) {
        this.dir = dir;
    }

    public static Captures open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such capture folder");
        }
        Captures c = new Captures(dir);
        c.scan();
        c.readIndex();
        c.readLabels();
        return c;
    }

    public Path dir() {
        return dir;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int skippedIndexLines() {
        return skippedLines;
    }

    /** Labels a correction may name without confirmation: class folders, and labels the model offered. */
    public TreeSet<String> knownLabels() {
        return knownLabels;
    }

    private void scan() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path d : (Iterable<Path>) s.sorted()::iterator) {
                String folder = d.getFileName().toString();
                if (!Files.isDirectory(d) || folder.startsWith(".")) {
                    continue;
                }
                if (!folder.equals(IGNORED) && !folder.equals(UNKNOWN) && !folder.startsWith("_")) {
                    knownLabels.add(folder);
                }
                try (Stream<Path> f = Files.list(d)) {
                    for (Path p : (Iterable<Path>) f.sorted()::iterator) {
                        String name = p.getFileName().toString();
                        if (!name.startsWith(".") && isImage(name) && Files.isRegularFile(p)) {
                            byName.putIfAbsent(name, folder + "/" + name);
                        }
                    }
                }
            }
        }
    }

    static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    private void readIndex() throws IOException {
        Path index = dir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            // no index (a folder sorted by hand): every image is an entry predicted as its folder
            for (String rel : new TreeSet<>(byName.values())) {
                add(new Entry(rel, rel.substring(rel.indexOf('/') + 1), rel.substring(0, rel.indexOf('/')),
                        Double.NaN, "", -1, List.of()));
            }
            return;
        }
        for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (IOException e) {
                skippedLines++;
                continue;
            }
            String file = o.path("file").asText("");
            if (file.isEmpty() || byId.containsKey(file)) {
                skippedLines += file.isEmpty() ? 1 : 0;
                continue;
            }
            List<String> top = new ArrayList<>();
            for (JsonNode t : o.path("top")) {
                top.add(t.path("label").asText());
                if (!t.path("label").asText().equals(UNKNOWN) && !t.path("label").asText().isEmpty()) {
                    knownLabels.add(t.path("label").asText());
                }
            }
            String name = file.substring(file.lastIndexOf('/') + 1);
            add(new Entry(file, name, o.path("label").asText(UNKNOWN), o.path("score").asDouble(Double.NaN),
                    o.path("camera").asText(""), o.path("frame").asLong(-1), List.copyOf(top)));
        }
    }

    private void add(Entry e) {
        entries.add(e);
        byId.put(e.id(), e);
    }

    private void readLabels() throws IOException {
        Path log = dir.resolve(LABELS);
        if (!Files.isRegularFile(log)) {
            return;
        }
        Map<Integer, Decision> bySeq = new HashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o;
            try {
                o = JSON.readTree(line);
            } catch (IOException e) {
                continue;
            }
            Decision d = new Decision(o.path("seq").asInt(), o.path("action").asText(), o.path("id").asText(),
                    o.path("from").asText(null), o.path("to").asText(null), o.path("label").asText(null),
                    o.has("undoes") ? o.path("undoes").asInt() : null);
            nextSeq = Math.max(nextSeq, d.seq() + 1);
            bySeq.put(d.seq(), d);
            if (d.action().equals("undo")) {
                Decision undone = bySeq.get(d.undoes());
                if (undone != null) {
                    effective.remove(undone);
                    if (decidedById.get(undone.id()) == undone) {
                        decidedById.remove(undone.id());
                        // an earlier effective decision on the same capture comes back into force
                        for (int i = effective.size() - 1; i >= 0; i--) {
                            if (effective.get(i).id().equals(undone.id())) {
                                decidedById.put(undone.id(), effective.get(i));
                                break;
                            }
                        }
                    }
                }
            } else {
                effective.add(d);
                decidedById.put(d.id(), d);
            }
        }
    }

    /** Where the capture is now, relative to dir, or null when it is gone. */
    public String location(Entry e) {
        Decision d = decidedById.get(e.id());
        if (d != null && d.to() != null && Files.isRegularFile(dir.resolve(d.to()))) {
            return d.to();
        }
        if (Files.isRegularFile(dir.resolve(e.id()))) {
            return e.id();
        }
        String found = byName.get(e.name());
        return found != null && Files.isRegularFile(dir.resolve(found)) ? found : null;
    }

    /** The label the capture has now (its folder), or null when it is gone. */
    public String currentLabel(Entry e) {
        String loc = location(e);
        return loc == null ? null : loc.substring(0, loc.indexOf('/'));
    }

    public State state(Entry e) {
        String loc = location(e);
        if (loc == null) {
            return State.MISSING;
        }
        if (decidedById.containsKey(e.id())) {
            return State.DECIDED;
        }
        return loc.substring(0, loc.indexOf('/')).equals(e.predictedFolder()) ? State.PENDING : State.MOVED_BY_HAND;
    }

    public Decision decision(Entry e) {
        return decidedById.get(e.id());
    }

    public Entry find(String ref) {
        String r = ref.replace('\\', '/');
        if (r.startsWith(dir.toString() + "/")) {
            r = r.substring(dir.toString().length() + 1);
        }
        Entry e = byId.get(r);
        if (e != null) {
            return e;
        }
        String name = r.substring(r.lastIndexOf('/') + 1);
        for (Entry x : entries) {
            if (x.name().equals(name)) {
                return x;
            }
        }
        return null;
    }

    /** Records captures moved by hand (once each) so that the log tells the whole story. */
    public int recordHandMoves() throws IOException {
        int n = 0;
        for (Entry e : entries) {
            if (state(e) == State.MOVED_BY_HAND) {
                String loc = location(e);
                append("moved_by_hand", e, e.id(), loc, loc.substring(0, loc.indexOf('/')), null);
                n++;
            }
        }
        return n;
    }

    /** Keeps the predicted label. */
    public Decision accept(Entry e) throws IOException {
        String loc = need(e);
        return append("accept", e, loc, loc, loc.substring(0, loc.indexOf('/')), null);
    }

    /** Moves the capture into the folder of {@code label} (a no-op move when it is there already). */
    public Decision correct(Entry e, String label) throws IOException {
        String problem = checkLabel(label);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        String loc = need(e);
        String to = move(loc, label);
        knownLabels.add(label);
        return append(to.equals(loc) ? "accept" : "correct", e, loc, to, label, null);
    }

    /** Moves the capture into {@value #IGNORED}. */
    public Decision reject(Entry e) throws IOException {
        String loc = need(e);
        String to = move(loc, IGNORED);
        return append("reject", e, loc, to, null, null);
    }

    /** Puts the last effective decision back (the file returns to where it was); null when there is none. */
    public Decision undo() throws IOException {
        for (int i = effective.size() - 1; i >= 0; i--) {
            Decision d = effective.get(i);
            if (d.action().equals("moved_by_hand")) {
                continue;
            }
            Entry e = byId.get(d.id());
            String now = e == null ? d.to() : location(e);
            String back = now;
            if (now != null && d.from() != null && !d.from().equals(d.to())) {
                back = move(now, d.from().substring(0, d.from().indexOf('/')));
            }
            effective.remove(i);
            decidedById.remove(d.id());
            for (int k = effective.size() - 1; k >= 0; k--) {
                if (effective.get(k).id().equals(d.id())) {
                    decidedById.put(d.id(), effective.get(k));
                    break;
                }
            }
            Decision u = write("undo", d.id(), now, back, null, d.seq());
            if (back != null) {
                byName.put(back.substring(back.indexOf('/') + 1), back);
            }
            return d;
        }
        return null;
    }

    /** Null when {@code label} can be a class folder name, else why not. */
    public static String checkLabel(String label) {
        if (label == null || label.isBlank()) {
            return "empty label";
        }
        if (label.equals(UNKNOWN) || label.startsWith("_") || label.startsWith(".")) {
            return "'" + label + "' is reserved (unknown, names starting with '_' or '.')";
        }
        if (label.length() > 80 || !label.matches("[\\p{L}\\p{N}\\-_.+,() ]+") || label.endsWith(" ") || label.endsWith(".")) {
            return "'" + label + "' is not a safe folder name (letters, digits and - _ . + , ( ) space; at most 80)";
        }
        return null;
    }

    private String need(Entry e) throws IOException {
        String loc = location(e);
        if (loc == null) {
            throw new IOException(e.id() + ": the file is gone (removed by the capture quota?)");
        }
        return loc;
    }

    /** Moves {@code rel} into {@code folder}, never replacing a file; returns the new relative path. */
    private String move(String rel, String folder) throws IOException {
        String current = rel.substring(0, rel.indexOf('/'));
        if (current.equals(folder)) {
            return rel;
        }
        String name = rel.substring(rel.indexOf('/') + 1);
        Path target = Files.createDirectories(dir.resolve(folder));
        String stem = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        for (int k = 0; k < 10_000; k++) {
            String candidate = k == 0 ? name : stem + "-" + k + ext;
            Path dst = target.resolve(candidate);
            if (Files.exists(dst)) {
                continue;
            }
            try {
                // a hard link cannot replace an existing file; the old name is removed only once the new one exists
                Files.createLink(dst, dir.resolve(rel));
                Files.delete(dir.resolve(rel));
            } catch (FileAlreadyExistsException taken) {
                continue;
            } catch (UnsupportedOperationException | IOException noLinks) {
                if (Files.exists(dst)) {
                    continue;
                }
                Files.move(dir.resolve(rel), dst, StandardCopyOption.ATOMIC_MOVE);
            }
            String out = folder + "/" + candidate;
            byName.put(candidate, out);
            return out;
        }
        throw new IOException(target + ": no free name for " + name);
    }

    private Decision append(String action, Entry e, String from, String to, String label, Integer undoes) throws IOException {
        Decision d = write(action, e.id(), from, to, label, undoes);
        effective.add(d);
        decidedById.put(d.id(), d);
        return d;
    }

    private Decision write(String action, String id, String from, String to, String label, Integer undoes) throws IOException {
        Decision d = new Decision(nextSeq++, action, id, from, to, label, undoes);
        ObjectNode o = JSON.createObjectNode();
        o.put("seq", d.seq()).put("time", Instant.now().toString()).put("action", action).put("id", id);
        Entry e = byId.get(id);
        if (e != null) {
            o.put("predicted", e.predicted());
        }
        o.put("from", from).put("to", to);
        if (label != null) {
            o.put("label", label);
        }
        if (undoes != null) {
            o.put("undoes", undoes);
        }
        o.put("user", System.getProperty("user.name", "?"));
        Files.writeString(dir.resolve(LABELS), JSON.writeValueAsString(o) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return d;
    }

    /** Counts by state, for summaries. */
    public Map<State, Integer> counts() {
        Map<State, Integer> m = new LinkedHashMap<>();
        for (State s : State.values()) {
            m.put(s, 0);
        }
        for (Entry e : entries) {
            m.merge(state(e), 1, Integer::sum);
        }
        return m;
    }
}
