/**
 * Reference data for the synthetic world. Names are invented combinations of common given
 * names and surnames: no record describes a real person. Prison codes and names are public
 * institution identifiers, not personal data.
 */

export const FIRST_NAMES_MALE = [
  'Aaron', 'Adam', 'Adrian', 'Alan', 'Alex', 'Alfie', 'Andrew', 'Anthony', 'Arjun', 'Ashley',
  'Ben', 'Bradley', 'Callum', 'Carl', 'Charlie', 'Chris', 'Connor', 'Craig', 'Daniel', 'Darren',
  'David', 'Dean', 'Declan', 'Dominic', 'Dylan', 'Eamon', 'Edward', 'Elliot', 'Ethan', 'Farhan',
  'Gareth', 'Gary', 'George', 'Harry', 'Hamza', 'Ian', 'Imran', 'Jack', 'Jacob', 'Jake',
  'James', 'Jamie', 'Jason', 'Jermaine', 'Joe', 'Jordan', 'Joshua', 'Kane', 'Karl', 'Kieran',
  'Kyle', 'Lee', 'Leon', 'Liam', 'Luke', 'Marcus', 'Mark', 'Martin', 'Matthew', 'Michael',
  'Mohammed', 'Nathan', 'Neil', 'Nicholas', 'Oliver', 'Owen', 'Patrick', 'Paul', 'Peter', 'Reece',
  'Richard', 'Robert', 'Ryan', 'Sam', 'Scott', 'Sean', 'Shane', 'Simon', 'Stephen', 'Steven',
  'Stuart', 'Thomas', 'Tom', 'Tyler', 'Wayne', 'William', 'Yusuf', 'Zak',
  // non-ASCII and punctuation variants
  'José', 'Seán', 'Łukasz', 'Ciarán', 'Rónán', 'Jean-Paul', 'Dafydd', 'Gruffydd', 'Søren', 'Tomás',
] as const;

export const FIRST_NAMES_FEMALE = [
  'Abigail', 'Aisha', 'Alice', 'Amber', 'Amy', 'Anna', 'Beth', 'Bethany', 'Caitlin', 'Carly',
  'Charlotte', 'Chelsea', 'Chloe', 'Claire', 'Danielle', 'Donna', 'Ella', 'Emily', 'Emma', 'Fatima',
  'Gemma', 'Georgia', 'Grace', 'Hannah', 'Hayley', 'Holly', 'Jade', 'Jasmine', 'Jennifer', 'Jessica',
  'Joanne', 'Kayleigh', 'Kelly', 'Kirsty', 'Laura', 'Lauren', 'Leanne', 'Lisa', 'Lucy', 'Megan',
  'Michelle', 'Molly', 'Naomi', 'Natalie', 'Nicola', 'Olivia', 'Priya', 'Rachel', 'Rebecca', 'Sarah',
  'Shannon', 'Sophie', 'Stacey', 'Tanya', 'Tracey', 'Victoria', 'Zara',
  'Zoë', 'Siân', 'Chloé', 'Renée', 'Aoife', 'Małgorzata', 'Ffion', 'Anne-Marie', 'Niamh', 'Bríd',
] as const;

export const MIDDLE_NAMES = [
  'James', 'John', 'Lee', 'Paul', 'Michael', 'David', 'Ann', 'Louise', 'Marie', 'Jane',
  'Elizabeth', 'Thomas', 'Rhys', 'Óscar', 'Mae', 'Rose',
] as const;

export const SURNAMES = [
  'Abbott', 'Ahmed', 'Akhtar', 'Allen', 'Armstrong', 'Atkinson', 'Bailey', 'Baker', 'Barker', 'Barnes',
  'Bell', 'Bennett', 'Berry', 'Bibi', 'Booth', 'Bradley', 'Brooks', 'Brown', 'Burton', 'Butler',
  'Campbell', 'Carter', 'Chapman', 'Clarke', 'Coleman', 'Collins', 'Cook', 'Cooper', 'Cox', 'Davies',
  'Dawson', 'Dixon', 'Edwards', 'Ellis', 'Evans', 'Fletcher', 'Foster', 'Fox', 'Gibson', 'Graham',
  'Grant', 'Gray', 'Green', 'Griffiths', 'Hall', 'Harris', 'Harrison', 'Hart', 'Hill', 'Holmes',
  'Hughes', 'Hunt', 'Hussain', 'Jackson', 'James', 'Jenkins', 'Johnson', 'Jones', 'Kaur', 'Kelly',
  'Khan', 'King', 'Knight', 'Lane', 'Lawrence', 'Lee', 'Lewis', 'Lloyd', 'Marshall', 'Martin',
  'Mason', 'Matthews', 'Miller', 'Mills', 'Mitchell', 'Moore', 'Morgan', 'Morris', 'Murphy', 'Murray',
  'Owen', 'Palmer', 'Parker', 'Patel', 'Pearson', 'Phillips', 'Powell', 'Price', 'Reid', 'Richards',
  'Roberts', 'Robinson', 'Rogers', 'Rose', 'Russell', 'Scott', 'Shaw', 'Simpson', 'Singh', 'Smith',
  'Spencer', 'Stevens', 'Stewart', 'Taylor', 'Thomas', 'Thompson', 'Turner', 'Walker', 'Walsh', 'Ward',
  'Watson', 'Webb', 'Wells', 'West', 'White', 'Wilkinson', 'Williams', 'Wilson', 'Wood', 'Wright',
  'Young',
  // apostrophes, hyphens and non-ASCII letters
  "O'Brien", "O'Connor", "D'Souza", "O'Neill", "McDonagh", 'Smith-Jones', 'Ashworth-Hale', 'Lloyd-Evans',
  'Núñez', 'Müller', 'Kowalczyk', 'Ó Súilleabháin', 'Ferreira', 'García', 'Nowak', 'Björk',
] as const;

export interface Prison {
  code: string;
  name: string;
  description: string;
}

export const PRISONS: readonly Prison[] = [
  { code: 'MDI', name: 'HMP Moorland', description: 'Moorland (HMP & YOI)' },
  { code: 'LEI', name: 'HMP Leeds', description: 'Leeds (HMP)' },
  { code: 'BMI', name: 'HMP Birmingham', description: 'Birmingham (HMP)' },
  { code: 'WWI', name: 'HMP Wandsworth', description: 'Wandsworth (HMP)' },
  { code: 'BXI', name: 'HMP Brixton', description: 'Brixton (HMP)' },
  { code: 'PVI', name: 'HMP Pentonville', description: 'Pentonville (HMP)' },
  { code: 'LPI', name: 'HMP Liverpool', description: 'Liverpool (HMP)' },
  { code: 'MHI', name: 'HMP Morton Hall', description: 'Morton Hall (HMP)' },
  { code: 'CFI', name: 'HMP Cardiff', description: 'Cardiff (HMP)' },
  { code: 'SWI', name: 'HMP Swansea', description: 'Swansea (HMP)' },
  { code: 'NMI', name: 'HMP Nottingham', description: 'Nottingham (HMP)' },
  { code: 'EWI', name: 'HMP Eastwood Park', description: 'Eastwood Park (HMP)' },
];

export const PRISON_BY_CODE: ReadonlyMap<string, Prison> = new Map(PRISONS.map((p) => [p.code, p]));

export function prisonName(code: string | null): string | undefined {
  if (code === null) return undefined;
  if (code === 'OUT') return 'Outside';
  return PRISON_BY_CODE.get(code)?.name;
}

export interface OffenceRef {
  code: string;
  statute: string;
  description: string;
  hoCode: string;
  mainCategory: { code: string; description: string };
  subCategory: { code: string; description: string };
  severity: number;
}

export const OFFENCES: readonly OffenceRef[] = [
  { code: 'TH68010', statute: 'TH68', description: 'Theft from a shop', hoCode: '04600', mainCategory: { code: '046', description: 'Theft from shops' }, subCategory: { code: '00', description: 'Theft from shops' }, severity: 200 },
  { code: 'TH68037', statute: 'TH68', description: 'Burglary dwelling - with intent to steal', hoCode: '02800', mainCategory: { code: '028', description: 'Burglary in a dwelling' }, subCategory: { code: '01', description: 'Burglary in a dwelling' }, severity: 120 },
  { code: 'TH68023', statute: 'TH68', description: 'Robbery', hoCode: '03400', mainCategory: { code: '034', description: 'Robbery' }, subCategory: { code: '00', description: 'Robbery' }, severity: 90 },
  { code: 'OF61016', statute: 'OF61', description: 'Wounding with intent to do grievous bodily harm', hoCode: '00500', mainCategory: { code: '005', description: 'Wounding or other act endangering life' }, subCategory: { code: '01', description: 'Wounding with intent' }, severity: 60 },
  { code: 'OF61102', statute: 'OF61', description: 'Assault occasioning actual bodily harm', hoCode: '00801', mainCategory: { code: '008', description: 'Other wounding' }, subCategory: { code: '01', description: 'Actual bodily harm' }, severity: 150 },
  { code: 'MD71230', statute: 'MD71', description: 'Possess with intent to supply a controlled drug of Class A - Heroin', hoCode: '09201', mainCategory: { code: '092', description: 'Trafficking controlled drugs' }, subCategory: { code: '01', description: 'Possession with intent to supply' }, severity: 80 },
  { code: 'MD71145', statute: 'MD71', description: 'Possess a controlled drug of Class B - Cannabis / Cannabis resin', hoCode: '09204', mainCategory: { code: '092', description: 'Trafficking controlled drugs' }, subCategory: { code: '04', description: 'Possession' }, severity: 300 },
  { code: 'RT88001', statute: 'RT88', description: 'Drive a motor vehicle dangerously', hoCode: '80200', mainCategory: { code: '802', description: 'Dangerous driving' }, subCategory: { code: '00', description: 'Dangerous driving' }, severity: 250 },
  { code: 'RT88338', statute: 'RT88', description: 'Drive whilst disqualified', hoCode: '80400', mainCategory: { code: '804', description: 'Motoring offences' }, subCategory: { code: '00', description: 'Driving while disqualified' }, severity: 350 },
  { code: 'CD71039', statute: 'CD71', description: 'Destroy or damage property (value of damage under £5000)', hoCode: '14900', mainCategory: { code: '149', description: 'Criminal damage' }, subCategory: { code: '00', description: 'Criminal damage' }, severity: 320 },
  { code: 'FI68094', statute: 'FI68', description: 'Possess firearm with intent to endanger life', hoCode: '08103', mainCategory: { code: '081', description: 'Firearms offences' }, subCategory: { code: '03', description: 'Possession with intent' }, severity: 40 },
  { code: 'FR06001', statute: 'FR06', description: 'Fraud by false representation', hoCode: '05300', mainCategory: { code: '053', description: 'Fraud' }, subCategory: { code: '00', description: 'Fraud by false representation' }, severity: 220 },
  { code: 'PU86011', statute: 'PU86', description: 'Use threatening, abusive, insulting words or behaviour with intent to cause fear of unlawful violence', hoCode: '06500', mainCategory: { code: '065', description: 'Public order offences' }, subCategory: { code: '00', description: 'Fear or provocation of violence' }, severity: 330 },
  { code: 'CJ03523', statute: 'CJ03', description: 'Breach of a community order', hoCode: '99900', mainCategory: { code: '999', description: 'Breach offences' }, subCategory: { code: '00', description: 'Breach of community order' }, severity: 400 },
  { code: 'SX03014', statute: 'SX03', description: 'Sexual assault on a female', hoCode: '01700', mainCategory: { code: '017', description: 'Sexual assault' }, subCategory: { code: '00', description: 'Sexual assault' }, severity: 70 },
];

export interface AlertCodeRef {
  typeCode: string;
  typeDescription: string;
  code: string;
  description: string;
}

export const ALERT_CODES: readonly AlertCodeRef[] = [
  { typeCode: 'A', typeDescription: 'Social Care', code: 'AS', description: 'Social Care' },
  { typeCode: 'C', typeDescription: 'Child Communication Measures', code: 'C1', description: 'L1 Restriction No contact with any child' },
  { typeCode: 'H', typeDescription: 'Self Harm', code: 'HA', description: 'ACCT open (HMPS)' },
  { typeCode: 'H', typeDescription: 'Self Harm', code: 'HA1', description: 'ACCT post closure (HMPS)' },
  { typeCode: 'M', typeDescription: 'Medical', code: 'MAS', description: 'Asthmatic' },
  { typeCode: 'M', typeDescription: 'Medical', code: 'MEP', description: 'Epileptic' },
  { typeCode: 'P', typeDescription: 'MAPPP Case', code: 'P1', description: 'MAPPA Level 1' },
  { typeCode: 'P', typeDescription: 'MAPPP Case', code: 'P2', description: 'MAPPA Level 2' },
  { typeCode: 'R', typeDescription: 'Risk', code: 'RCON', description: 'Conflict with other prisoners' },
  { typeCode: 'R', typeDescription: 'Risk', code: 'RDV', description: 'Domestic violence perpetrator' },
  { typeCode: 'S', typeDescription: 'Sexual Offence', code: 'SR', description: 'Sexual offence - restricted' },
  { typeCode: 'V', typeDescription: 'Vulnerability', code: 'VIP', description: 'Isolated prisoner' },
  { typeCode: 'X', typeDescription: 'Security', code: 'XA', description: 'Arsonist' },
  { typeCode: 'X', typeDescription: 'Security', code: 'XC', description: 'Risk to females' },
  { typeCode: 'X', typeDescription: 'Security', code: 'XEL', description: 'Escape list' },
  { typeCode: 'X', typeDescription: 'Security', code: 'XSA', description: 'Staff assaulter' },
  { typeCode: 'X', typeDescription: 'Security', code: 'XCU', description: 'Controlled unlock' },
];

export const HEALTH_TREATMENTS = [
  { code: 'AMP TEL', description: 'Amplified telephone' },
  { code: 'BRAILLE', description: 'Braille materials' },
  { code: 'FLEX_REFRESH', description: 'Flexible refreshment breaks' },
  { code: 'HEARING_LOOP', description: 'Hearing loop' },
  { code: 'LOW_BED', description: 'Lowered bed' },
  { code: 'PEEP', description: 'Personal emergency evacuation plan' },
  { code: 'WHEELCHR_ACC', description: 'Wheelchair accessibility' },
] as const;

export const TOWNS = [
  { town: 'Sheffield', county: 'South Yorkshire', postcode: 'S' },
  { town: 'Leeds', county: 'West Yorkshire', postcode: 'LS' },
  { town: 'Birmingham', county: 'West Midlands', postcode: 'B' },
  { town: 'London', county: 'Greater London', postcode: 'SE' },
  { town: 'Liverpool', county: 'Merseyside', postcode: 'L' },
  { town: 'Nottingham', county: 'Nottinghamshire', postcode: 'NG' },
  { town: 'Cardiff', county: 'South Glamorgan', postcode: 'CF' },
  { town: 'Swansea', county: 'West Glamorgan', postcode: 'SA' },
  { town: 'Bristol', county: 'City of Bristol', postcode: 'BS' },
  { town: 'Manchester', county: 'Greater Manchester', postcode: 'M' },
  { town: 'Doncaster', county: 'South Yorkshire', postcode: 'DN' },
  { town: 'Newport', county: 'Gwent', postcode: 'NP' },
] as const;

export const STREETS = [
  'Acacia Avenue', 'Beech Road', 'Chapel Lane', 'Dale Street', 'Elm Grove', 'Fern Close',
  'Garden Terrace', 'High Street', 'Ivy Crescent', 'Juniper Way', 'Kingsway', 'Larch Drive',
  'Mill Lane', 'Northgate', 'Orchard Rise', 'Park View', 'Queen Street', 'Rowan Court',
  'Station Road', 'Tanners Yard', 'Union Street', 'Victoria Road', 'Willow Walk', 'York Place',
] as const;

export const ETHNICITIES = [
  { code: 'W1', description: 'White: Eng./Welsh/Scot./N.Irish/British' },
  { code: 'W2', description: 'White: Irish' },
  { code: 'W9', description: 'White: Any other background' },
  { code: 'A1', description: 'Asian/Asian British: Indian' },
  { code: 'A2', description: 'Asian/Asian British: Pakistani' },
  { code: 'B1', description: 'Black/Black British: Caribbean' },
  { code: 'B2', description: 'Black/Black British: African' },
  { code: 'M1', description: 'Mixed: White and Black Caribbean' },
  { code: 'O9', description: 'Other: Any other background' },
] as const;

export const RELIGIONS = [
  { code: 'CHRST', description: 'Christian' },
  { code: 'COFE', description: 'Church of England (Anglican)' },
  { code: 'RC', description: 'Roman Catholic' },
  { code: 'MOS', description: 'Muslim' },
  { code: 'SIKH', description: 'Sikh' },
  { code: 'NIL', description: 'No Religion' },
] as const;

export const NATIONALITIES = [
  { code: 'BRIT', description: 'British' },
  { code: 'IRISH', description: 'Irish' },
  { code: 'POL', description: 'Polish' },
  { code: 'PORT', description: 'Portuguese' },
  { code: 'SPAN', description: 'Spanish' },
] as const;

export const MARITAL_STATUSES = ['Single-not married/in civil partnership', 'Married or in civil partnership', 'Divorced or dissolved', 'Widowed'] as const;

export const SEXUAL_ORIENTATIONS = [
  { code: 'HET', description: 'Heterosexual' },
  { code: 'GAY', description: 'Gay or lesbian' },
  { code: 'BIS', description: 'Bisexual' },
  { code: 'ND', description: 'Not disclosed' },
] as const;

export const COURTS = [
  'Sheffield Crown Court', 'Leeds Crown Court', 'Birmingham Magistrates Court', 'Inner London Crown Court',
  'Liverpool Crown Court', 'Nottingham Magistrates Court', 'Cardiff Crown Court', 'Swansea Magistrates Court',
] as const;

export const STAFF_FIRST = ['Alex', 'Bea', 'Cal', 'Dev', 'Eli', 'Fern', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kit', 'Lia'] as const;
export const STAFF_LAST = ['Arden', 'Bramble', 'Corrin', 'Dunmore', 'Eskdale', 'Farrow', 'Garside', 'Holroyd', 'Ingle', 'Jessop'] as const;

export const PROBATION_TEAMS = [
  { code: 'N07T01', description: 'Sheffield North OMU', provider: { code: 'N07', description: 'Yorkshire and the Humber' } },
  { code: 'N03T02', description: 'Cardiff Central', provider: { code: 'N03', description: 'Wales' } },
  { code: 'N53T05', description: 'Birmingham South', provider: { code: 'N53', description: 'West Midlands' } },
  { code: 'N57T03', description: 'Lambeth Team 3', provider: { code: 'N57', description: 'London' } },
] as const;

export const DYNAMIC_RISKS = [
  { code: 'RCCO', description: 'Child Concerns' },
  { code: 'ALSH', description: 'Risk to Self' },
  { code: 'RHRH', description: 'High RoSH' },
  { code: 'STRG', description: 'Street Gangs' },
  { code: 'RVLN', description: 'Risk to Known Adult' },
] as const;
