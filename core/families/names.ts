/**
 * Does a status question name a child, and is it one of the user's own? A light heuristic on purpose: it only has
 * to notice "查一下王小红的补助" so that we refuse instead of answering for a different child, and never mistake
 * the words families use ("高三的补助", "我家孩子的钱") for a name.
 */

const SURNAMES =
  "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/** Characters that do not occur in the given part of a name in these questions (question words, aid words). */
const NOT_IN_NAME = new Set([
  ..."的了钱补助学金申请发放审核进度孩子我你他她它家什么怎样没有吗呢吧啊到账过不是在查看问下年级班级中初高校都也还就要想能会这那哪个些点",
]);

const CANDIDATE =
  /(?:查|看|问|帮我查|帮忙查)?(?:一下|下)?([\p{Script=Han}]{2,3}?)(?=的|同学|这孩子|这个学生|有没有|发了|发没|领了|评上|申请|补助|助学金|过了|通过了|到账)/gu;

/** Grades and school words that look like surname + character (高三, 高一); 李四 and 王五 stay names. */
const GRADE = /^(高[一二三]|[一二三四五六七八九]年)/;

export function isNameLike(s: string): boolean {
  if (GRADE.test(s)) return false;
  const chars = [...s];
  if (chars.length < 2 || chars.length > 3 || !SURNAMES.includes(chars[0]!)) return false;
  return chars.slice(1).every((c) => !NOT_IN_NAME.has(c));
}

function givenName(full: string): string {
  return [...full].slice(1).join("");
}

export interface NamedResult<T> {
  /** Children the question names (empty when it names none of them). */
  mine: T[];
  /** The question names someone who is not one of the user's children. */
  other: boolean;
}

/** Which of `children` (with their full, unmasked names) the question names, and whether it names anyone else. */
export function namedInQuestion<T extends { name: string }>(question: string, children: readonly T[]): NamedResult<T> {
  const q = question.normalize("NFKC").replace(/\s+/g, "");
  const mine = children.filter((c) => {
    const given = givenName(c.name);
    return q.includes(c.name) || (given.length >= 2 && q.includes(given));
  });
  if (mine.length) return { mine, other: false };
  const candidates = [...q.matchAll(CANDIDATE)].map((m) => m[1]!).filter(isNameLike);
  return { mine: [], other: candidates.length > 0 };
}
